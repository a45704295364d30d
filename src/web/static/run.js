// labnote serve: running a block from the page (the Run buttons). Plain JavaScript, no
// build step, no inline script. The panel lives outside #live, so that the page's live
// refresh (a run checks its step) keeps the latest run's output in view.
//
// Contract: button[data-run] (data-lab, data-step, data-block) asks /api/run/preview and
// shows the block with its values (secrets masked) and button[data-run-confirm]; the run's
// output streams into [data-run-output], its state in [data-run-status] (running, passed,
// failed, stopped); button[data-stop] interrupts it; after it, [data-candidate] buttons note
// a value of the output (named by its place: the value itself stays on the server).
'use strict';
(function () {
  function csrf() {
    var m = document.querySelector('meta[name=labnote-csrf]');
    return m ? m.content : '';
  }

  function req(url, body) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store'
    });
  }

  async function post(url, body) {
    var r = await req(url, body);
    var j = {};
    try { j = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) { throw new Error(j.error || ('HTTP ' + r.status)); }
    return j;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var panel = null, labels = {};
  function ensurePanel() {
    if (panel) { return panel; }
    var css = el('link', { rel: 'stylesheet', href: '/static/run.css' });
    document.head.appendChild(css);
    panel = el('section', { class: 'run-panel', 'data-run-panel': '' });
    panel.hidden = true;
    document.body.appendChild(panel);
    return panel;
  }

  function hide() {
    ensurePanel().hidden = true;
    document.body.classList.remove('run-open');
  }

  function clear() {
    var p = ensurePanel();
    while (p.firstChild) { p.removeChild(p.firstChild); }
    p.hidden = false;
    document.body.classList.add('run-open');
    var x = el('button', { type: 'button', class: 'run-close', 'data-run-close': '' }, '×');
    x.addEventListener('click', hide);
    p.appendChild(x);
    return p;
  }

  // The confirmation: the block as it will run, secrets masked.
  async function ask(b) {
    var body = { lab: b.dataset.lab, step: b.dataset.step, block: Number(b.dataset.block) };
    var p;
    try {
      var v = await post('/api/run/preview', body);
      labels = v.labels || {};
      p = clear();
      p.appendChild(el('h3', {}, v.title));
      p.appendChild(el('pre', { class: 'run-command', 'data-run-command': '' }, v.text || ''));
      var go = el('button', { type: 'button', 'data-run-confirm': '' }, labels.confirm);
      var no = el('button', { type: 'button', 'data-run-cancel': '' }, labels.cancel);
      go.addEventListener('click', function () { start(body); });
      no.addEventListener('click', hide);
      p.appendChild(go);
      p.appendChild(no);
      go.focus();
    } catch (e) {
      p = clear();
      p.appendChild(el('p', { class: 'run-error', 'data-run-error': '' }, e.message));
    }
  }

  function setStatus(s, text) {
    var st = panel.querySelector('[data-run-status]');
    st.dataset.runStatus = s;
    st.className = 'run-status ' + s;
    st.textContent = text || labels[s] || s;
  }

  // The run: its answer is an event stream (output events, then one end event).
  async function start(body) {
    var p = clear();
    var head = el('div', { class: 'run-head' });
    head.appendChild(el('span', { 'data-run-status': 'running', class: 'run-status running' }, labels.running));
    var stop = el('button', { type: 'button', 'data-stop': '' }, labels.stop);
    stop.addEventListener('click', function () {
      post('/api/run/stop', {}).catch(function () {});
    });
    head.appendChild(stop);
    p.appendChild(head);
    var out = el('pre', { class: 'run-output', 'data-run-output': '' });
    p.appendChild(out);
    var r;
    try {
      r = await req('/api/run', body);
    } catch (e) {
      setStatus('failed', e.message);
      stop.remove();
      return;
    }
    if (!r.ok) {
      var j = {};
      try { j = await r.json(); } catch (e) { /* not JSON */ }
      setStatus('failed', j.error || ('HTTP ' + r.status));
      stop.remove();
      return;
    }
    var reader = r.body.getReader();
    var dec = new TextDecoder();
    var buf = '';
    var ended = false;
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) { break; }
      buf += dec.decode(chunk.value, { stream: true });
      var at;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        var ev = parse(buf.slice(0, at));
        buf = buf.slice(at + 2);
        if (ev.event === 'output') {
          out.appendChild(document.createTextNode(JSON.parse(ev.data).text));
          out.scrollTop = out.scrollHeight;
        } else if (ev.event === 'end') {
          ended = true;
          end(JSON.parse(ev.data), stop);
        }
      }
    }
    if (!ended) { setStatus('failed'); stop.remove(); }
  }

  function parse(block) {
    var ev = { event: 'message', data: '' }, data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) { ev.event = line.slice(6).trim(); }
      else if (line.indexOf('data:') === 0) { data.push(line.slice(5).replace(/^ /, '')); }
    });
    ev.data = data.join('\n');
    return ev;
  }

  function end(v, stop) {
    stop.remove();
    setStatus(v.status, labels[v.status]);
    panel.appendChild(el('p', { class: 'run-message', 'data-run-message': '' }, v.message));
    if (!v.offers || !v.offers.length) { return; }
    var box = el('div', { class: 'run-offers', 'data-run-offers': '' });
    box.appendChild(el('h3', {}, v.title));
    v.offers.forEach(function (o) {
      var row = el('div', { class: 'run-offer', 'data-offer-key': o.key });
      row.appendChild(el('strong', {}, o.key));
      if (o.used_in && o.used_in.length) { row.appendChild(el('span', { class: 'used-in' }, ' (' + o.used_in.join(', ') + ')')); }
      var list = el('div', { class: 'candidates' });
      o.candidates.forEach(function (c) {
        var b = el('button', { type: 'button', 'data-candidate': c.pick, 'data-secret': c.secret ? '1' : '0' },
          c.text + (c.label ? '  (' + c.label + ')' : ''));
        b.addEventListener('click', function () { note(v.run, o.value, { pick: c.pick }, row); });
        list.appendChild(b);
      });
      row.appendChild(list);
      var typed = el('input', { type: o.secret ? 'password' : 'text', 'data-run-typed': '', placeholder: labels.typed, autocomplete: 'off' });
      var ok = el('button', { type: 'button', 'data-run-note-typed': '' }, labels.note);
      ok.addEventListener('click', function () {
        if (typed.value !== '') { note(v.run, o.value, { typed: typed.value }, row); typed.value = ''; }
      });
      row.appendChild(typed);
      row.appendChild(ok);
      box.appendChild(row);
    });
    panel.appendChild(box);
  }

  async function note(run, value, what, row) {
    var body = { run: run, value: value };
    if (what.pick) { body.pick = what.pick; } else { body.typed = what.typed; }
    var old = row.querySelector('[data-run-noted]');
    if (old) { old.remove(); }
    try {
      var j = await post('/api/run/note', body);
      row.appendChild(el('span', { class: 'run-noted', 'data-run-noted': '' }, j.message));
      // A secret now noted: the output that printed it leaves the page.
      var out = panel.querySelector('[data-run-output]');
      if (j.secret && out) { out.textContent = labels.hidden; }
    } catch (e) {
      row.appendChild(el('span', { class: 'run-noted bad', 'data-run-noted': 'error' }, e.message));
    }
  }

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-run]');
    if (b) { ask(b); }
  });
})();
