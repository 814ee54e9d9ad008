// Parley's small bit of browser code: CSRF header for htmx requests, copy buttons. No inline scripts anywhere
// (the Content-Security-Policy forbids them).
(function () {
  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') : null;
  }
  document.addEventListener('htmx:configRequest', function (e) {
    var header = meta('csrf-header'), token = meta('csrf-token');
    if (header && token) { e.detail.headers[header] = token; }
  });
  document.addEventListener('click', function (e) {
    var button = e.target.closest('[data-copy]');
    if (!button) { return; }
    e.preventDefault();
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) { return; }
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () {
      var old = button.textContent;
      button.textContent = 'Copied';
      button.classList.add('copied');
      setTimeout(function () { button.textContent = old; button.classList.remove('copied'); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(source); done(); });
    } else { fallback(source); done(); }
  });
  function fallback(source) {
    if (source.select) { source.select(); }
    try { document.execCommand('copy'); } catch (ignored) { /* nothing more to try */ }
  }
  // forms marked data-reset are cleared after htmx sent them successfully
  document.addEventListener('htmx:afterRequest', function (e) {
    var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest('form[data-reset]') : null;
    if (form && e.detail.successful) { form.reset(); }
  });
  // live parts (hx-trigger="sse:...") reload once the stream is open: what changed between the page's rendering and
  // the stream's (re)connection would otherwise be missed until the next change
  document.addEventListener('htmx:sseOpen', function (e) {
    e.target.querySelectorAll('[hx-trigger^="sse:"]').forEach(function (el) {
      htmx.trigger(el, el.getAttribute('hx-trigger').split(/[\s,]/)[0]);
    });
  });
  // keep a thread scrolled to its newest message
  function scrollThreads() {
    document.querySelectorAll('.thread-scroll').forEach(function (t) { t.scrollTop = t.scrollHeight; });
  }
  document.addEventListener('DOMContentLoaded', scrollThreads);
  document.addEventListener('htmx:afterSwap', scrollThreads);
})();
