// A fixture of the collector's tests (UiTest): a JavaScript module served from /ui/.
export const fixture = 'module.js';
