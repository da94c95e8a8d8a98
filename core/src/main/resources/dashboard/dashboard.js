// order-sync's dashboard refreshes itself: it reads the page again and swaps in the new content.
// No data is built here: the server renders and escapes everything; this only moves its HTML.
(function () {
  'use strict';
  var stamp = document.getElementById('updated');
  var seconds = Number((stamp && stamp.dataset.refreshSeconds) || 30);

  function openDetails(root) {
    var open = [];
    root.querySelectorAll('details[open]').forEach(function (d) {
      open.push(d.closest('tr') ? d.closest('section').id + '|' + d.closest('tr').rowIndex : '');
    });
    return open;
  }

  function refresh() {
    // location.origin: a page opened as http://user:password@host/ may not fetch its own URL.
    return fetch(location.origin + location.pathname, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        var current = document.getElementById('dashboard');
        var next = fresh.getElementById('dashboard');
        if (!current || !next) { throw new Error('not a dashboard page'); }
        var wasOpen = openDetails(current);
        current.replaceWith(document.importNode(next, true));
        document.getElementById('dashboard').querySelectorAll('details').forEach(function (d) {
          var key = d.closest('tr') ? d.closest('section').id + '|' + d.closest('tr').rowIndex : '';
          if (wasOpen.indexOf(key) >= 0) { d.open = true; }
        });
        var freshStamp = fresh.getElementById('updated');
        if (stamp && freshStamp) { stamp.textContent = freshStamp.textContent; }
      })
      .catch(function (e) {
        if (stamp) { stamp.textContent = 'could not refresh (' + e.message + '); trying again'; }
      });
  }

  window.orderSync = { refresh: refresh };
  setInterval(function () { if (!document.hidden) { refresh(); } }, seconds * 1000);
})();
