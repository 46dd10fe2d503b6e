/* What Material would do with small inline scripts, done from this file instead: the site is
   served with a Content-Security-Policy that allows no inline script, and Material's partials
   that wrote them are replaced (overrides/partials/javascripts/). Loaded in <head>, before
   Material's bundle, which expects the four __md_* helpers to exist.

   - __md_scope, __md_hash, __md_get, __md_set: the bundle keeps the reader's settings (the
     colour scheme chosen with the header's button, for one) in the browser's storage, under
     keys that start with the site's path, and reads them back through these.
   - The colour scheme is put on <body> as soon as the header is parsed, before anything is
     painted, so a phone set to dark mode never flashes a white page: the scheme the reader
     chose, or, until they choose one, the one that matches the phone's setting.
   - A link to a content tab (#__tabbed_…) opens that tab. */
(function () {
  "use strict";

  var FOLLOW_PHONE = "(prefers-color-scheme)";
  var COLOR_KEYS = ["media", "scheme", "primary", "accent"];

  // This file is published at <site>/assets/, so the site's root is one folder up from it,
  // whatever the depth of the page (and on the 404 page, which is served at any path).
  var script = document.currentScript;
  var root = new URL("..", script && script.src ? script.src : location.href);

  function storageKey(name, scope) {
    return (scope || root).pathname + "." + name;
  }

  window.__md_scope = root;

  window.__md_hash = function (text) {
    var hash = 0;
    for (var index = 0; index < text.length; index++) {
      hash = ((hash << 5) - hash + text.charCodeAt(index)) | 0;
    }
    return hash;
  };

  window.__md_get = function (name, storage, scope) {
    try {
      return JSON.parse((storage || localStorage).getItem(storageKey(name, scope)));
    } catch (error) {
      return null; // storage switched off, or a value someone else wrote
    }
  };

  window.__md_set = function (name, value, storage, scope) {
    try {
      (storage || localStorage).setItem(storageKey(name, scope), JSON.stringify(value));
    } catch (error) {
      // Storage full or switched off: the setting lasts for this page only.
    }
  };

  // The header's option for a scheme: its data-md-color-* attributes are what <body> gets.
  function option(media) {
    return document.querySelector("[data-md-color-media='" + media + "']");
  }

  // True once the scheme is on <body>, or when there is nothing to put there.
  function applyScheme() {
    var saved = window.__md_get("__palette");
    var color = saved && saved.color;
    if (color && color.media !== FOLLOW_PHONE) {
      if (!document.body) return false;
      COLOR_KEYS.forEach(function (key) {
        if (color[key]) document.body.setAttribute("data-md-color-" + key, color[key]);
      });
      return true;
    }
    var dark = matchMedia("(prefers-color-scheme: dark)").matches;
    var match = option("(prefers-color-scheme: " + (dark ? "dark" : "light") + ")");
    if (!document.body || !match) return false;
    COLOR_KEYS.forEach(function (key) {
      var value = key === "media" ? FOLLOW_PHONE : match.getAttribute("data-md-color-" + key);
      if (value) document.body.setAttribute("data-md-color-" + key, value);
    });
    return true;
  }

  if (!applyScheme()) {
    // Observers run before the browser paints what the parser has added.
    var watcher = new MutationObserver(function () {
      if (applyScheme()) watcher.disconnect();
    });
    watcher.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () {
      watcher.disconnect();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name && target.name.indexOf("__tabbed_") === 0) target.checked = true;
  });
})();
