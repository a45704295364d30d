// labnote serve: the page's behaviour. Plain JavaScript, no build step, no inline script
// (the Content-Security-Policy allows scripts only from this file).
'use strict';
(function () {
  // The page's words in its language: the server renders them into the body's
  // `data-i18n` (JSON, `{name}` where a value goes), from the same Fluent files as the CLI.
  var WORDS = {};
  try { WORDS = JSON.parse(document.body.dataset.i18n || '{}'); } catch (e) { WORDS = {}; }
  function tr(id, args) {
    var s = WORDS[id] || id;
    Object.keys(args || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(args[k])); });
    return s;
  }

  function csrf() {
    var m = document.querySelector('meta[name=labnote-csrf]');
    return m ? m.content : '';
  }

  // Every change is a POST with a JSON body and the CSRF header.
  async function post(url, body) {
    var r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store'
    });
    var j = {};
    try { j = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) { throw new Error(j.error || tr('pagejs-http-error', { status: r.status })); }
    return j;
  }

  function toast(msg, bad) {
    var t = document.getElementById('toast');
    if (!t) { return; }
    t.textContent = msg;
    t.className = bad ? 'show bad' : 'show';
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.className = ''; }, bad ? 6000 : 2000);
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      var ta = document.createElement('textarea');
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
  }

  // The value a reveal or copy button stands for: a placeholder (name), a memo entry (key)
  // or a code block (block). The secret is fetched on the click and never stored.
  function target(b) {
    var body = { lab: b.dataset.lab };
    if (b.dataset.block !== undefined) { body.block = Number(b.dataset.block); }
    else if (b.dataset.cell !== undefined) { body.cell = Number(b.dataset.cell); }
    else if (b.dataset.key !== undefined) { body.key = b.dataset.key; }
    else { body.name = b.dataset.name; }
    return body;
  }

  async function reveal(b) {
    var holder = b.parentElement;
    var val = holder.querySelector('.ph-val');
    if (b.dataset.shown === '1') {
      val.textContent = '••••';
      b.dataset.shown = '';
      b.textContent = tr('page-reveal');
      return;
    }
    var j = await post('/api/reveal', target(b));
    val.textContent = j.value;
    val.classList.add('revealed');
    b.dataset.shown = '1';
    b.textContent = tr('page-hide');
  }

  async function copy(b) {
    var t = target(b);
    var j = await post(t.block !== undefined || t.cell !== undefined ? '/api/copy' : '/api/reveal', t);
    await copyText(j.value);
    toast(tr('pagejs-copied'));
  }

  function esc(s) {
    var d = document.createElement('div');
    d.textContent = String(s);
    return d.innerHTML;
  }

  async function issuePreview(b) {
    var box = b.closest('[data-issue-lab]');
    var out = box.querySelector('.issue-confirm');
    out.textContent = tr('pagejs-asking-iam');
    var p = await post('/api/issue/preview', { lab: box.dataset.issueLab });
    var rows = p.keys.map(function (k) {
      return '<tr' + (k.id === p.retire ? ' class="retire"' : '') + '><td>' + esc(k.id) + '</td><td>' +
        esc(tr(k.active ? 'pagejs-active' : 'pagejs-inactive')) + '</td><td>' + esc(k.created) + '</td><td>' + esc(k.last_used) + '</td></tr>';
    }).join('');
    var head = esc(tr('pagejs-iam-keys', { count: p.keys.length })).split('{user}').join('<b>' + esc(p.user) + '</b>');
    out.innerHTML = '<p>' + head + '</p>' +
      '<table><tr><th>' + esc(tr('pagejs-col-key')) + '</th><th>' + esc(tr('pagejs-col-status')) + '</th><th>' +
      esc(tr('pagejs-col-created')) + '</th><th>' + esc(tr('pagejs-col-last-used')) + '</th></tr>' + rows + '</table>' +
      (p.retire ? '<p class="warn">' + esc(tr('pagejs-will-retire', { key: p.retire })) + '</p>' : '<p>' + esc(tr('pagejs-no-retire')) + '</p>') +
      '<button type="button" data-issue-confirm>' +
      esc(p.retire ? tr('pagejs-issue-new-retire', { key: p.retire }) : tr('pagejs-issue-new')) + '</button>';
    var c = out.querySelector('[data-issue-confirm]');
    c.dataset.retire = p.retire || '';
  }

  async function issueConfirm(b) {
    var box = b.closest('[data-issue-lab]');
    var j = await post('/api/issue', { lab: box.dataset.issueLab, retire: b.dataset.retire || null });
    toast(j.created ? tr('pagejs-issued', { key: j.access_key_id, user: j.user }) : tr('pagejs-already-active', { key: j.access_key_id }));
    refresh();
  }

  document.addEventListener('change', async function (ev) {
    var cb = ev.target.closest('input[type=checkbox][data-step]');
    if (!cb) { return; }
    try {
      await post('/api/step', { lab: cb.dataset.lab, step: cb.dataset.step, done: cb.checked });
      refresh();
    } catch (e) {
      cb.checked = !cb.checked;
      toast(e.message, true);
    }
  });

  document.addEventListener('click', async function (ev) {
    var b = ev.target.closest('button');
    if (!b) { return; }
    try {
      if (b.hasAttribute('data-reveal')) { await reveal(b); }
      else if (b.hasAttribute('data-copy')) { await copy(b); }
      else if (b.hasAttribute('data-unset')) {
        var f = b.closest('form[data-memo-key]');
        await post('/api/memo/unset', { lab: f.dataset.lab, key: f.dataset.memoKey });
        toast(tr('pagejs-emptied', { key: f.dataset.memoKey }));
        refresh();
      }
      else if (b.hasAttribute('data-issue-preview')) { await issuePreview(b); }
      else if (b.hasAttribute('data-issue-confirm')) { await issueConfirm(b); }
    } catch (e) {
      toast(e.message, true);
    }
  });

  // A note point's form: the value is noted under the name chosen (an offer, or a new name
  // typed), as walk's `m` notes it; the answer never holds the value.
  async function notePoint(f) {
    var sel = f.querySelector('select[name=name]');
    var input = f.querySelector('[name=value]');
    var name = sel ? sel.value : '';
    if (!name) {
      var typed = f.querySelector('input[name=new_name]');
      name = typed ? typed.value.trim() : '';
    }
    if (!name && f.dataset.memoKey) { name = f.dataset.memoKey; }
    var j = await post('/api/note', {
      lab: f.dataset.lab, step: f.dataset.step || '', point: Number(f.dataset.notePoint),
      names: f.dataset.names || '', name: name, value: input.value
    });
    input.value = '';
    input.blur();
    toast(j.message);
    refresh();
  }

  // Values from their source: the chosen offer's candidates, read on the click (the
  // server reads AWS, kubeconfig, git or GitHub), each a button that notes it. The server
  // reads again before noting, so only what the source gives is noted. textContent only.
  // The form again in the page as it is now (a redraw may have replaced it meanwhile).
  function formSelector(f) {
    return f.classList.contains('memo-entry')
      ? 'form.memo-entry[data-memo-key="' + CSS.escape(f.dataset.memoKey) + '"]'
      : 'form.note-point[data-note-point="' + CSS.escape(f.dataset.notePoint) + '"]';
  }
  function foundBox(sel) {
    var f = document.querySelector(sel);
    return f ? f.querySelector('.source-found') : null;
  }

  async function sourceRead(b) {
    var f = b.closest('form');
    var sel = f.querySelector('select[name=name]');
    var key = (sel && sel.value) || f.dataset.memoKey || '';
    var where = formSelector(f);
    var out = foundBox(where);
    out.textContent = tr('pagejs-source-reading');
    var j;
    try {
      j = await post('/api/source/read', { lab: f.dataset.lab, key: key });
    } catch (e) {
      out = foundBox(where);
      if (out) { out.textContent = e.message; }
      return;
    }
    out = foundBox(where);
    if (!out) { return; }
    out.textContent = '';
    var head = document.createElement('div');
    head.className = 'source-message';
    head.textContent = j.message;
    out.appendChild(head);
    j.candidates.forEach(function (c) {
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'source-candidate';
      btn.dataset.sourceNote = '';
      btn.dataset.key = j.key;
      btn.dataset.resource = c.resource;
      btn.dataset.value = c.value;
      btn.textContent = tr('pagejs-source-note') + ' ' + c.value + (c.label ? ' (' + c.label + ')' : '');
      out.appendChild(btn);
    });
  }

  async function sourceNote(b) {
    var f = b.closest('form');
    var j = await post('/api/source/note', {
      lab: f.dataset.lab, key: b.dataset.key, resource: b.dataset.resource, value: b.dataset.value
    });
    var box = b.closest('.source-found');
    if (box) { box.textContent = ''; }
    pending = false;
    toast(j.message);
    refresh();
  }

  document.addEventListener('click', async function (ev) {
    var b = ev.target.closest('button[data-source-read], button[data-source-note]');
    if (!b) { return; }
    try {
      if (b.hasAttribute('data-source-read')) { await sourceRead(b); }
      else { await sourceNote(b); }
    } catch (e) {
      toast(e.message, true);
    }
  });

  // Choosing an offer: a secret's field hides what is typed; "a new name" asks for it.
  document.addEventListener('change', function (ev) {
    var sel = ev.target.closest('form[data-note-point] select[name=name]');
    if (!sel) { return; }
    var f = sel.closest('form');
    var opt = sel.options[sel.selectedIndex];
    var readBtn = f.querySelector('button[data-source-read]');
    if (readBtn && f.matches('form.memo-entry')) { readBtn = null; }
    var typed = f.querySelector('input[name=new_name]');
    if (typed) { typed.hidden = !opt.hasAttribute('data-new-name'); }
    var input = f.querySelector('input[name=value]');
    if (input) { input.type = opt.hasAttribute('data-secret') ? 'password' : 'text'; }
    var read = readBtn;
    if (read) {
      read.hidden = !opt.dataset.source;
      read.textContent = opt.dataset.source || '';
      var found = f.querySelector('.source-found');
      if (found) { found.textContent = ''; }
    }
  });

  document.addEventListener('submit', async function (ev) {
    var np = ev.target.closest('form[data-note-point]');
    if (np) {
      ev.preventDefault();
      try { await notePoint(np); } catch (e) { toast(e.message, true); }
      return;
    }
    var f = ev.target.closest('form[data-memo-key], form[data-note-key]');
    if (!f) { return; }
    ev.preventDefault();
    var key = f.dataset.memoKey || f.dataset.noteKey;
    var input = f.querySelector('[name=value]');
    try {
      var j = await post('/api/memo', { lab: f.dataset.lab, key: key, value: input.value });
      input.value = '';
      input.blur();
      toast(j.changed ? tr('pagejs-noted', { key: key }) : tr('pagejs-same-value', { key: key }));
      refresh();
    } catch (e) {
      toast(e.message, true);
    }
  });

  // The key's .csv (the access-key lab's download step): picked or dropped, read here and
  // sent in a POST body (never in a URL); the answer names the key id only.
  async function importCsv(box, file) {
    var out = box.querySelector('.csv-result');
    try {
      var text = await file.text();
      var j = await post('/api/keys/csv', { lab: box.dataset.csvLab, name: file.name, csv: text });
      var who = j.user ? ' — ' + j.user + ' (' + j.account + ')' : (j.check_error ? ' — ' + j.check_error : '');
      if (out) { out.textContent = j.access_key_id + ' ' + j.secret + who; }
      toast(j.message);
      refresh();
    } catch (e) {
      if (out) { out.textContent = e.message; }
      toast(e.message, true);
    }
  }
  document.addEventListener('change', function (ev) {
    var inp = ev.target.closest('input[type=file][data-csv-file]');
    if (!inp || !inp.files || !inp.files[0]) { return; }
    importCsv(inp.closest('[data-csv-lab]'), inp.files[0]);
    inp.value = '';
  });
  document.addEventListener('dragover', function (ev) {
    if (ev.target.closest && ev.target.closest('[data-csv-lab]')) { ev.preventDefault(); }
  });
  document.addEventListener('drop', function (ev) {
    var box = ev.target.closest && ev.target.closest('[data-csv-lab]');
    if (!box) { return; }
    ev.preventDefault();
    var f = ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0];
    if (f) { importCsv(box, f); }
  });

  // Live: the server says when the course changed; the page's content is fetched again and
  // swapped in without a reload (not while the student is typing in a field).
  var busy = false, again = false, pending = false;
  // A redraw waits while the student types, or chooses among a source's candidates.
  function typing() {
    var a = document.activeElement;
    if (document.querySelector('.source-found button[data-source-note]')) { return true; }
    return a && (a.tagName === 'INPUT' || a.tagName === 'TEXTAREA') && a.type !== 'checkbox' && a.value !== '';
  }
  async function refresh() {
    if (typing()) { pending = true; return; }
    if (busy) { again = true; return; }
    busy = true;
    try {
      var r = await fetch(location.pathname, { cache: 'no-store', credentials: 'same-origin' });
      var doc = new DOMParser().parseFromString(await r.text(), 'text/html');
      var fresh = doc.getElementById('live');
      var live = document.getElementById('live');
      // The student began typing or choosing while the page was fetched: later.
      if (typing()) { pending = true; fresh = null; }
      if (fresh && live) {
        live.replaceWith(fresh);
        document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
      }
    } catch (e) {
      /* the server stopped: the page stays as it is */
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }
  document.addEventListener('focusout', function () {
    if (pending) { pending = false; setTimeout(refresh, 0); }
  });
  if (window.EventSource) {
    var es = new EventSource('/events');
    es.addEventListener('change', function (e) {
      document.body.dataset.version = e.data;
      refresh();
    });
  }
})();
