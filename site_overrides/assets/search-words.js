// A Chinese query cut into the search index's words (search.js loads this module when a Chinese page's search
// opens; generator/search.py says why the query is not left to Pagefind's own cut). Each run of Chinese
// characters is cut into the longest known words (the names and terms of the records, as the index's segmenter
// cut them: casebook-search.json's words), and what no known word covers by the browser's Intl.Segmenter.
const HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

export function cutter(words) {
  const known = new Set(words);
  const longest = words.reduce((n, w) => Math.max(n, w.length), 1);
  const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  const rest = (text) => !text ? [] : segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : [text];
  function cut(run) {
    const out = [];
    let pending = "";
    for (let i = 0; i < run.length;) {
      let j = Math.min(run.length, i + longest);
      while (j > i + 1 && !known.has(run.slice(i, j))) j--;
      if (j > i + 1) {
        out.push(...rest(pending), run.slice(i, j));
        pending = "";
        i = j;
      } else {
        pending += run[i++];
      }
    }
    out.push(...rest(pending));
    return " " + out.join(" ") + " ";
  }
  return (query) => query.replace(HAN, cut).replace(/\s+/g, " ").trim();
}
