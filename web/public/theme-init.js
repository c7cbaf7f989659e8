// Applies the saved theme before first paint (an external file, so a strict CSP allows it).
// Keep the key and values in step with web/app/theme.ts.
(function () {
  try {
    var saved = localStorage.getItem('pulse.theme');
    if (saved === 'light' || saved === 'dark') document.documentElement.setAttribute('data-theme', saved);
  } catch (e) {
    /* storage blocked: the CSS media query picks the system theme */
  }
})();
