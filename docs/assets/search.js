/* The search page's results (overrides/search-page.html), from the site's own search index,
   made at the end of the build (/search-index/, hooks/huatuopin/search/indexer.py says how it
   is laid out). A query fetches the index's small manifest, the shard of each of its tokens
   and the record of each result shown: the same few pieces on a small site and a large one.

   - The index is the site's own: it is found from this file's address (published at
     <site>/assets/), so it works at any depth and when the site lives under a sub-path.
   - A query is split into tokens by the rules the index was made with
     (hooks/huatuopin/search/tokens.py; tests run both on the same text): a run of Chinese
     characters as its pairs of neighbours (one character alone as itself), any other run of
     letters and digits as one lowercased word. A page is found when it holds every token;
     a token on more pages than the index keeps (the manifest's `cap`) only ranks.
   - Results appear as the reader types (debounced), 10 at a time with 更多结果; the query is
     kept in the address (?q=…), so a search is a link, and the form works as one too.
   - Everything from the index is text: titles, labels and excerpts go in as text nodes, the
     words found in <mark> elements made here. */

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 300;
const INDEX_FORMAT = 1;
const MAX_SCORE = 255;
const EXCERPT_BEFORE = 24; // characters of context before the first word found
const EXCERPT_LENGTH = 90;
// A pasted paragraph would fetch a shard per pair of characters: the first ones are plenty
// to find a page, and a query never costs more than this many shards.
const MAX_QUERY_TOKENS = 16;
const MAX_MARKED_WORDS = 4 * MAX_QUERY_TOKENS;
// The ranges of search/tokens.py's HAN.
const HAN_RANGES = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0x20000, 0x323af],
];
const WORD_CHAR = /[\p{L}\p{N}]/u;

const root = new URL("..", import.meta.url);
const indexRoot = new URL("search-index/", root);
const form = document.querySelector("[data-hp-search]");
const input = form && form.querySelector("input[name=q]");
const status = document.querySelector("[data-hp-search-status]");
const list = document.querySelector("[data-hp-search-results]");
const more = document.querySelector("[data-hp-search-more]");

let loading = null; // the index's manifest, loaded once (a promise: two early queries share it)
let shown = [];
let next = 0;
let latest = 0; // the number of the latest query: an older one's results are dropped

function say(text) {
  status.textContent = text;
}

function isHan(codePoint) {
  return HAN_RANGES.some(([low, high]) => low <= codePoint && codePoint <= high);
}

/* Runs of Chinese characters and of other letters and digits: search/tokens.py's `runs`. */
function runs(text) {
  const found = [];
  let current = "";
  let currentHan = false;
  for (const char of text.normalize("NFKC").toLowerCase()) {
    const han = isHan(char.codePointAt(0));
    const word = han || WORD_CHAR.test(char);
    if (current && (!word || han !== currentHan)) {
      found.push([currentHan, current]);
      current = "";
    }
    if (word) {
      current += char;
      currentHan = han;
    }
  }
  if (current) found.push([currentHan, current]);
  return found;
}

/* search/tokens.py's `query_tokens`. */
export function queryTokens(text) {
  const tokens = new Set();
  for (const [han, run] of runs(text)) {
    const chars = Array.from(run);
    if (han && chars.length > 1) {
      for (let i = 0; i < chars.length - 1; i++) tokens.add(chars[i] + chars[i + 1]);
    } else {
      tokens.add(run);
    }
  }
  return [...tokens];
}

/* search/tokens.py's `shard_of`: FNV-1a (32 bits) of the token's UTF-8 bytes. */
export function shardOf(token, shards) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(token)) {
    value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  }
  return value % shards;
}

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/* A page's record, or null when it is gone: a withdrawn story's record is deleted from the
   releases kept on the server (deploy/scrub.py) while their shards still list it. */
async function fetchRecord(url) {
  const response = await fetch(url);
  if (response.status === 404 || response.status === 410) return null;
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

class SearchIndex {
  constructor(manifest) {
    this.manifest = manifest;
    this.folder = new URL(`${manifest.build}/`, indexRoot);
    this.shards = new Map(); // number → promise of the shard
  }

  shard(number) {
    if (!this.shards.has(number)) {
      const loaded = fetchJson(new URL(`t${number}.json`, this.folder));
      loaded.catch(() => this.shards.delete(number)); // fetched again next time
      this.shards.set(number, loaded);
    }
    return this.shards.get(number);
  }

  /* The pages holding a token: {pages, complete, scores: Map id → score}. */
  async postings(token) {
    const entry = (await this.shard(shardOf(token, this.manifest.shards)))[token];
    const scores = new Map();
    if (!entry) return { pages: 0, complete: true, scores };
    let id = 0;
    for (let i = 1; i < entry.length; i += 2) {
      id += entry[i];
      scores.set(id, entry[i + 1]);
    }
    return { pages: entry[0], complete: entry[0] <= this.manifest.cap, scores };
  }

  /* Results best first, as {id, data()}: pages holding every token that narrows the query,
     ranked by each token's rarity times the weight of where it stands on the page. */
  async search(text) {
    const tokens = queryTokens(text).slice(0, MAX_QUERY_TOKENS);
    if (!tokens.length) return [];
    const found = await Promise.all(tokens.map((token) => this.postings(token)));
    const narrowing = found.filter((postings) => postings.complete);
    const candidates = [...(narrowing.length ? narrowing : found)];
    candidates.sort((a, b) => a.scores.size - b.scores.size);
    let ids = [...candidates[0].scores.keys()];
    for (const postings of candidates.slice(1)) ids = ids.filter((id) => postings.scores.has(id));
    const total = this.manifest.documents;
    const rarity = found.map(({ pages }) => Math.log(1 + (total - pages + 0.5) / (pages + 0.5)));
    const ranked = ids.map((id) => {
      let score = 0;
      found.forEach((postings, i) => {
        const weight = postings.scores.get(id);
        if (weight) score += rarity[i] * Math.log2(1 + Math.min(weight, MAX_SCORE));
      });
      return { id, score };
    });
    ranked.sort((a, b) => b.score - a.score || a.id - b.id);
    return ranked.map(({ id }) => ({ id, data: () => this.page(id, text) }));
  }

  async page(id, text) {
    const record = await fetchRecord(new URL(`d${id}.json`, this.folder));
    if (!record) return null;
    return {
      url: new URL(record.u, root).pathname,
      title: record.t || record.u,
      label: record.l,
      excerpt: excerpt(record.x || "", text),
    };
  }
}

function loadIndex() {
  loading ??= (async () => {
    // Named by its build, the rest of the index is cached for good; the manifest is not.
    const manifest = await fetchJson(new URL("manifest.json", indexRoot), { cache: "no-cache" });
    if (manifest.format !== INDEX_FORMAT) throw new Error(`index format ${manifest.format}`);
    return new SearchIndex(manifest);
  })();
  return loading;
}

/* Where each of the query's runs (or its tokens) stands in `text`: [start, end] pairs. Each
   word once and at most MAX_MARKED_WORDS of them: a shared link's ?q= may hold a pasted page,
   and every word is looked for all through the excerpt of every result shown. */
export function matches(text, query) {
  const lower = text.toLowerCase();
  const words = new Set();
  for (const [han, run] of runs(query)) {
    for (const word of han ? [run, ...queryTokens(run)] : [run]) {
      if (words.size < MAX_MARKED_WORDS) words.add(word);
    }
  }
  const found = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at >= 0 && word; at = lower.indexOf(word, at + 1)) {
      if (!found.some(([start, end]) => at < end && at + word.length > start)) {
        found.push([at, at + word.length]);
      }
    }
  }
  return found.sort((a, b) => a[0] - b[0]);
}

/* A piece of the page's text around the first word found, as text and <mark> nodes. */
function excerpt(text, query) {
  const found = matches(text, query);
  const start = Math.max(0, (found.length ? found[0][0] : 0) - EXCERPT_BEFORE);
  const end = Math.min(text.length, start + EXCERPT_LENGTH);
  const nodes = [];
  let at = start;
  for (const [from, to] of found) {
    if (from < at || to > end) continue;
    nodes.push(document.createTextNode(text.slice(at, from)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(from, to);
    nodes.push(mark);
    at = to;
  }
  nodes.push(document.createTextNode(text.slice(at, end)));
  if (start > 0) nodes.unshift(document.createTextNode("…"));
  if (end < text.length) nodes.push(document.createTextNode("…"));
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.className = "hp-search__result";
  link.href = data.url;
  if (data.label) {
    const label = document.createElement("span");
    label.className = "hp-search__label-tag";
    label.textContent = data.label;
    link.append(label);
  }
  const title = document.createElement("span");
  title.className = "hp-search__result-title";
  title.textContent = data.title;
  link.append(title);
  const text = document.createElement("p");
  text.className = "hp-search__excerpt";
  text.append(...data.excerpt);
  item.append(link, text);
  return item;
}

async function showMore(query) {
  const from = next;
  const batch = shown.slice(from, from + PAGE_SIZE);
  next += batch.length;
  more.disabled = true; // a second tap waits for this batch, so batches stay in order
  try {
    const data = await Promise.all(batch.map((result) => result.data()));
    if (query !== latest) return;
    list.append(...data.filter(Boolean).map(resultItem));
  } catch (error) {
    if (query !== latest) return;
    next = from; // the same batch again on the next tap
    say("这一批结果没有加载成功，请再点“更多结果”。");
  } finally {
    more.disabled = false;
  }
  more.hidden = next >= shown.length;
}

function keepInAddress(text) {
  const address = new URL(location.href);
  if (text) address.searchParams.set("q", text);
  else address.searchParams.delete("q");
  try {
    history.replaceState(null, "", address);
  } catch (error) {
    // Browsers refuse too many address changes in a short time: the results still show.
  }
}

async function search(text, { debounced }) {
  const query = ++latest;
  const words = text.trim();
  if (!words) {
    keepInAddress(words);
    list.replaceChildren();
    more.hidden = true;
    say("");
    return;
  }
  if (debounced) {
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
    if (query !== latest) return; // the reader typed on
  }
  let found;
  try {
    const index = await loadIndex();
    found = await index.search(words);
  } catch (error) {
    loading = null; // try loading again on the next query
    say("搜索暂时用不了：网站的搜索索引没有加载成功，请稍后再试。");
    return;
  }
  if (query !== latest) return; // a newer query took over
  keepInAddress(words); // once per shown search, not per keystroke
  shown = found;
  next = 0;
  list.replaceChildren();
  more.hidden = true;
  say(shown.length ? `找到 ${shown.length} 条结果` : `没有找到“${words}”，换个词试试。`);
  await showMore(query);
}

if (form && input && status && list && more) {
  say(""); // the page's own line says search needs JavaScript: it runs
  let composing = false;
  input.addEventListener("compositionstart", () => {
    composing = true;
  });
  input.addEventListener("compositionend", () => {
    composing = false;
    search(input.value, { debounced: true });
  });
  input.addEventListener("input", () => {
    if (!composing) search(input.value, { debounced: true });
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(input.value, { debounced: false });
  });
  more.addEventListener("click", () => showMore(latest));
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked, { debounced: false });
  }
}
