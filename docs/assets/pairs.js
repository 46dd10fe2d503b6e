/* Before-and-after pairs: turns each `[data-hp-pair]` figure (two labelled photos, one above
   the other, which is what a reader without JavaScript sees) into a slider, and shows the
   gallery's in-page filter. Our own code, no library, no CDN.

   The slider: drag with a finger or the mouse, or focus the handle and use the arrow keys,
   Page Up/Down, Home and End. The photo area has `touch-action: pan-y`, so a vertical swipe
   still scrolls the page; only horizontal drags move the slider. */
(function () {
  "use strict";

  var STEP = 5;
  var BIG_STEP = 20;

  function clamp(value) {
    return Math.min(100, Math.max(0, value));
  }

  function setupPair(figure) {
    var views = figure.querySelector(".hp-pair__views");
    if (!views || figure.classList.contains("hp-pair--slider")) {
      return;
    }
    var beforeLabel = figure.getAttribute("data-before-label") || "改造前";
    var afterLabel = figure.getAttribute("data-after-label") || "改造后";
    var caption = figure.getAttribute("data-caption") || "";

    var handle = document.createElement("div");
    handle.className = "hp-pair__handle";
    handle.setAttribute("role", "slider");
    handle.setAttribute("tabindex", "0");
    handle.setAttribute("aria-orientation", "horizontal");
    handle.setAttribute("aria-valuemin", "0");
    handle.setAttribute("aria-valuemax", "100");
    handle.setAttribute(
      "aria-label",
      "今昔对比滑块：" + caption + "。向右显示更多" + beforeLabel + "，向左显示更多" + afterLabel
    );
    views.appendChild(handle);
    views.querySelectorAll("img").forEach(function (img) {
      img.setAttribute("draggable", "false");
    });

    var position = 50;
    function set(value) {
      position = clamp(value);
      var shown = Math.round(position);
      figure.style.setProperty("--hp-pair-position", position + "%");
      handle.setAttribute("aria-valuenow", String(shown));
      handle.setAttribute(
        "aria-valuetext",
        beforeLabel + " " + shown + "%，" + afterLabel + " " + (100 - shown) + "%"
      );
    }

    function fromPointer(event) {
      var box = views.getBoundingClientRect();
      if (box.width > 0) {
        set(((event.clientX - box.left) / box.width) * 100);
      }
    }

    // A drag: the pointer's id, where it started, and the value then. A finger moves the
    // slider by as much as it moves sideways, and only once it has moved more sideways than
    // up or down: a vertical swipe scrolls the page (touch-action: pan-y) and changes nothing.
    var drag = null;
    views.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) {
        return;
      }
      drag = {
        id: event.pointerId,
        x: event.clientX,
        y: event.clientY,
        from: position,
        moving: event.pointerType === "mouse",
      };
      try {
        views.setPointerCapture(event.pointerId);
      } catch (ignored) {
        /* the pointer is already gone */
      }
      if (event.pointerType === "mouse") {
        // A click jumps to the spot, then the slider follows the mouse.
        fromPointer(event);
        event.preventDefault();
        handle.focus({ preventScroll: true });
      }
    });
    views.addEventListener("pointermove", function (event) {
      if (!drag || drag.id !== event.pointerId) {
        return;
      }
      if (event.pointerType === "mouse") {
        fromPointer(event);
        return;
      }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moving) {
        if (Math.abs(dx) < 6 || Math.abs(dx) <= Math.abs(dy)) {
          return;
        }
        drag.moving = true;
      }
      var width = views.getBoundingClientRect().width;
      if (width > 0) {
        set(drag.from + (dx / width) * 100);
      }
    });
    function stop(event) {
      if (drag && drag.id === event.pointerId) {
        drag = null;
      }
    }
    views.addEventListener("pointerup", stop);
    views.addEventListener("pointercancel", stop);
    views.addEventListener("lostpointercapture", stop);

    handle.addEventListener("keydown", function (event) {
      var value = position;
      switch (event.key) {
        case "ArrowLeft":
        case "ArrowDown":
          value -= STEP;
          break;
        case "ArrowRight":
        case "ArrowUp":
          value += STEP;
          break;
        case "PageDown":
          value -= BIG_STEP;
          break;
        case "PageUp":
          value += BIG_STEP;
          break;
        case "Home":
          value = 0;
          break;
        case "End":
          value = 100;
          break;
        default:
          return;
      }
      event.preventDefault();
      set(value);
    });

    set(position);
    figure.classList.add("hp-pair--slider");
  }

  function setupFilter(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".hp-gallery__item"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = form.querySelector(".hp-gallery-filter__status");
    var none = document.querySelector("[data-hp-gallery-none]");
    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var match = selects.every(function (select) {
          return !select.value || item.getAttribute("data-" + select.name) === select.value;
        });
        item.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      var filtering = selects.some(function (select) {
        return select.value;
      });
      if (status) {
        status.textContent = filtering ? "本页显示 " + shown + " / " + items.length + " 组" : "";
      }
      if (none) {
        none.hidden = shown > 0;
      }
    }
    selects.forEach(function (select) {
      select.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("[data-hp-pair]").forEach(setupPair);
    var form = document.querySelector("[data-hp-gallery-filter]");
    if (form) {
      setupFilter(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
