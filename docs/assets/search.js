/* The search page's results (overrides/search-page.html), from the index Pagefind made of the
   site at the end of the build (/pagefind/). Pagefind's own script fetches only the pieces of
   the index a query needs, so a search costs about the same on a small site and a large one.

   - The index is the site's own: its script is found from this file's address (published at
     <site>/assets/), so it works at any depth and when the site lives under a sub-path.
   - Results appear as the reader types (debounced), 10 at a time with 更多结果; the query is
     kept in the address (?q=…), so a search is a link, and the form works as one too.
   - Everything from the index is text: titles and labels go in as text nodes; an excerpt's
     HTML is parsed off the page (DOMParser) and only its text and <mark> elements are copied. */

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 300;

const root = new URL("..", import.meta.url);
const form = document.querySelector("[data-hp-search]");
const input = form && form.querySelector("input[name=q]");
const status = document.querySelector("[data-hp-search-status]");
const list = document.querySelector("[data-hp-search-results]");
const more = document.querySelector("[data-hp-search-more]");

let loading = null; // the index's script, loaded once (a promise: two early queries share it)
let shown = [];
let next = 0;
let latest = 0; // the number of the latest query: an older one's results are dropped

function say(text) {
  status.textContent = text;
}

function loadIndex() {
  loading ??= (async () => {
    const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // Result addresses are the site's paths; under a sub-path they need its prefix.
    await pagefind.options({ baseUrl: root.pathname });
    await pagefind.init();
    return pagefind;
  })();
  return loading;
}

/* An excerpt as safe nodes: text, and <mark> with text only. */
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const nodes = [];
  for (const node of parsed.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.className = "hp-search__result";
  link.href = data.url;
  const meta = data.meta || {};
  if (meta.label) {
    const label = document.createElement("span");
    label.className = "hp-search__label-tag";
    label.textContent = meta.label;
    link.append(label);
  }
  const title = document.createElement("span");
  title.className = "hp-search__result-title";
  title.textContent = meta.title || data.url;
  link.append(title);
  const excerpt = document.createElement("p");
  excerpt.className = "hp-search__excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(link, excerpt);
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
    list.append(...data.map(resultItem));
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
  let found;
  try {
    const index = await loadIndex();
    found = debounced
      ? await index.debouncedSearch(words, {}, DEBOUNCE_MS)
      : await index.search(words);
  } catch (error) {
    loading = null; // try loading again on the next query
    say("搜索暂时用不了：网站的搜索索引没有加载成功，请稍后再试。");
    return;
  }
  if (found === null || query !== latest) return; // a newer query took over
  keepInAddress(words); // once per shown search, not per keystroke
  shown = found.results;
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
