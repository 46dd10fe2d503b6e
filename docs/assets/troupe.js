/* The troupe pages, made a little handier when JavaScript runs (without it, everything is
 * already on the page):
 *  - today's talks and the next talk are marked, and "jump to today" goes to the nearest day;
 *  - on /troupe/schedule/ the list can be filtered by city, member and form (kept in the URL),
 *    and the calendar links follow the filter: a member's or a city's calendar, in words;
 *  - in WeChat, which opens neither webcal:// nor .ics links, a hint and the address to copy.
 * All wording lives in the templates (data-* attributes); this file only shows and hides. */
(function () {
  "use strict";

  var SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000; // no daylight saving since 1991

  function shanghaiDate(now) {
    return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  // -- calendars: WeChat hint and copy button ------------------------------------------------

  function setUpSubscribe(section) {
    var inWeChat = /MicroMessenger/i.test(navigator.userAgent);
    var hint = section.querySelector("[data-tp-wechat]");
    var details = section.querySelector("[data-tp-feed]");
    if (inWeChat) {
      if (hint) hint.hidden = false;
      if (details) details.open = true;
      section.classList.add("tp-subscribe--wechat");
    }
    var button = section.querySelector("[data-tp-copy]");
    var input = section.querySelector("input");
    if (!button || !input) return;
    button.hidden = false;
    button.setAttribute("data-label", button.textContent);
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.getAttribute("data-done");
      };
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          if (document.execCommand("copy")) done();
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  }

  // -- the schedule: today, next talk, filters ----------------------------------------------

  function setUpSchedule(root) {
    var talks = all(root, ".tp-talk");
    var days = all(root, ".tp-day");
    var chips = all(root, ".tp-dates a[data-date]");
    var months = all(root, ".tp-dates__month");
    var jump = root.querySelector("[data-tp-today]");
    var form = root.querySelector("[data-tp-filters]");
    var shown = root.querySelector("[data-tp-shown]");
    var empty = root.querySelector("[data-tp-empty]");
    var subscribes = document.querySelector("[data-tp-subscribes]");
    var now = new Date();
    var today = shanghaiDate(now);

    function visible(element) {
      return !element.hidden;
    }

    function mark() {
      var next = null;
      talks.forEach(function (talk) {
        talk.classList.remove("tp-talk--next");
        var date = talk.getAttribute("data-start").slice(0, 10);
        talk.classList.toggle("tp-talk--today", date === today);
        if (
          !next &&
          visible(talk) &&
          !talk.classList.contains("tp-talk--cancelled") &&
          Date.parse(talk.getAttribute("data-end")) > now.getTime()
        ) {
          next = talk;
        }
      });
      if (next) next.classList.add("tp-talk--next");
      var target = null;
      days.forEach(function (day) {
        var date = day.getAttribute("data-date");
        day.classList.toggle("tp-day--today", date === today);
        if (!target && visible(day) && date >= today) target = day;
      });
      var shownDays = days.filter(visible);
      if (!jump) return;
      if (!target) target = shownDays[shownDays.length - 1];
      if (!target) {
        jump.hidden = true;
        return;
      }
      var date = target.getAttribute("data-date");
      var label = date === today ? "data-today" : date > today ? "data-later" : "data-past";
      jump.textContent = jump.getAttribute(label) || jump.textContent;
      jump.setAttribute("href", "#" + target.id);
      jump.hidden = false;
    }

    function apply() {
      var city = form ? form.elements.city.value : "";
      var member = form ? form.elements.member.value : "";
      var kind = form ? form.elements.form.value : "";
      var count = 0;
      talks.forEach(function (talk) {
        var match =
          (!city || talk.getAttribute("data-city") === city) &&
          (!member || talk.getAttribute("data-members").indexOf(" " + member + " ") >= 0) &&
          (!kind || talk.getAttribute("data-form") === kind);
        talk.hidden = !match;
        if (match) count += 1;
      });
      var open = {};
      days.forEach(function (day) {
        day.hidden = !all(day, ".tp-talk").some(visible);
        if (!day.hidden) open[day.getAttribute("data-date")] = true;
      });
      chips.forEach(function (chip) {
        chip.hidden = !open[chip.getAttribute("data-date")];
      });
      months.forEach(function (month) {
        month.hidden = !all(month, "a[data-date]").some(visible);
      });
      if (shown) {
        shown.textContent = shown
          .getAttribute("data-template")
          .replace("{n}", String(count))
          .replace("{total}", String(talks.length));
      }
      if (empty) empty.hidden = count > 0;
      follow(count);
      mark();
    }

    function chosen(select) {
      var option = select.options[select.selectedIndex];
      return option && option.value && option.hasAttribute("data-url") ? option : null;
    }

    // The calendar that holds what the filter shows: a member's (the narrower of the two
    // when both are chosen), a city's, or the whole schedule's. There is no calendar per
    // form or per city and member together, so the words say when it holds more.
    function follow(count) {
      if (!subscribes || !form) return;
      var source = chosen(form.elements.member) || chosen(form.elements.city) || subscribes;
      var what = source.getAttribute("data-what");
      if (count > 0 && count !== Number(source.getAttribute("data-count"))) {
        what += subscribes.getAttribute("data-more").replace("{n}", String(count));
      }
      subscribes.textContent = what;
      var section = document.querySelector("[data-tp-subscribe]");
      if (!section) return;
      var webcal = section.querySelector("[data-tp-webcal]");
      var download = section.querySelector("[data-tp-download]");
      var input = section.querySelector("input");
      var copy = section.querySelector("[data-tp-copy]");
      if (webcal) webcal.setAttribute("href", source.getAttribute("data-webcal"));
      if (download) download.setAttribute("href", source.getAttribute("data-path"));
      if (input && input.value !== source.getAttribute("data-url")) {
        input.value = source.getAttribute("data-url");
        if (copy && copy.hasAttribute("data-label")) copy.textContent = copy.getAttribute("data-label");
      }
    }

    function remember() {
      var params = new URLSearchParams(window.location.search);
      ["city", "member", "form"].forEach(function (name) {
        var value = form.elements[name].value;
        if (value) params.set(name, value);
        else params.delete(name);
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }

    if (form) {
      var params = new URLSearchParams(window.location.search);
      ["city", "member", "form"].forEach(function (name) {
        var select = form.elements[name];
        var value = params.get(name);
        if (value && all(select, "option").some(function (o) { return o.value === value; })) {
          select.value = value;
        }
      });
      form.addEventListener("change", function () {
        apply();
        remember();
      });
      form.addEventListener("reset", function () {
        window.setTimeout(function () {
          apply();
          remember();
        }, 0);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
    }
    apply();
  }

  function start() {
    all(document, "[data-tp-subscribe]").forEach(setUpSubscribe);
    all(document, "[data-tp-schedule]").forEach(setUpSchedule);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
