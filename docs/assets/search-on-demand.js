/*
 * Material's search downloads the whole search index on every first page load. With thousands
 * of stories that is hundreds of kilobytes on a slow rural connection, for readers who mostly
 * never search. This holds the index request back until the reader opens the search box.
 *
 * Material requests the index with XMLHttpRequest while its bundle starts up, so this file is
 * loaded in <head>, before the bundle, and defers only that one request.
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var released = false;
  var waiting = [];
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  function release() {
    if (released) return;
    released = true;
    waiting.splice(0).forEach(function (start) { start(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.hpSearchIndex = !released && INDEX.test(String(url));
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (this.hpSearchIndex && !released) {
      var request = this;
      var args = arguments;
      waiting.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  // A shared search link (?q=…) opens search straight away.
  if (new URLSearchParams(location.search).has("q")) release();

  // Opening search: the header's search toggle, or focus on the query field (by tap,
  // or by Material's keyboard shortcuts "/" and "s").
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release();
  });
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) release();
  });
})();
