// labnote serve --class: the grid follows the class. The server fetches the class every
// 20 s and sends a `change` event when the grid changed; the grid is then fetched again
// (server-rendered, escaped HTML). A fetch every 20 s keeps it fresh if events stop.
(function () {
  'use strict';
  var busy = false;
  function refresh() {
    if (busy) return;
    busy = true;
    fetch('/class/grid', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) {
          document.getElementById('grid').innerHTML = html;
          document.body.dataset.refreshed = String(Date.now());
        }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  if (window.EventSource) {
    var es = new EventSource('/class/events');
    es.addEventListener('change', function (e) {
      document.body.dataset.version = e.data;
      refresh();
    });
  }
  setInterval(refresh, 20000);
})();
