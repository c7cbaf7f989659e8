// Applies the theme before first paint (an external file, so a strict CSP allows it).
// Keep the storage key and values in step with web/app/theme.ts, which takes over after load.
(() => {
  let choice = 'system';
  try {
    choice = localStorage.getItem('pulse.theme') || 'system';
  } catch {
    // storage blocked: follow the system
  }
  const dark =
    choice === 'dark' || (choice !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
})();
