/* Sort the index table by a column on a click on its header (numbers or Chinese text). */
document.querySelectorAll('th[data-sort]').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var up = th.getAttribute('aria-sort') !== 'ascending';
    th.closest('tr').querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-sort') === 'number';
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-value'), y = b.cells[col].getAttribute('data-value');
      var c = numeric ? (parseFloat(x) || -Infinity) - (parseFloat(y) || -Infinity)
                      : x.localeCompare(y, 'zh');
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
