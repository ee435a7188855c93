// The search box's words: `key:value` words are tag filters (decision 38), the rest is text.

const TAG = /^([A-Za-z0-9_.\-]{1,128}):(?!\/\/)(\S{1,200})$/;

/** `{ q, tag }` for the API: the text without its tag words (or null), and the tags as `key:value`. */
export function searchTerms(text) {
  const words = [];
  const tag = [];
  for (const word of (text || '').split(/\s+/)) {
    if (!word) continue;
    if (TAG.test(word) && tag.length < 10) tag.push(word);
    else words.push(word);
  }
  return { q: words.length ? words.join(' ') : null, tag };
}
