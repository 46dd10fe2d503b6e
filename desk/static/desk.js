// 投稿台: small upgrades over a form that works without script. Cascading county choice,
// the summary's character counter, and upload progress (the same POST, sent by XHR).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var city = document.getElementById("f-city");
  var county = document.getElementById("f-county");
  if (city && county) {
    var map = JSON.parse(city.getAttribute("data-counties") || "{}");
    city.addEventListener("change", function () {
      var names = map[city.value] || [];
      county.textContent = "";
      var first = document.createElement("option");
      first.value = "";
      first.textContent = names.length ? "请选择" : "请先选省辖市";
      county.appendChild(first);
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.textContent = name;
        county.appendChild(option);
      });
    });
  }

  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    function update() {
      var used = Array.from(field.value.trim()).length;
      counter.textContent = " 已写 " + used + " 字" + (used > max ? "，超出 " + (used - max) + " 字" : "");
    }
    field.addEventListener("input", update);
    update();
  });

  var form = document.querySelector("form[data-upload]");
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (event) {
      var hasFile = Array.from(form.querySelectorAll("input[type=file]")).some(function (input) {
        return input.files && input.files.length;
      });
      if (!hasFile) return; // a plain POST is quickest without files
      event.preventDefault();
      var box = form.querySelector(".progress");
      var bar = box.querySelector("progress");
      var label = box.querySelector("span");
      box.hidden = false;
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        label.textContent = "正在上传 " + percent + "%";
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        label.textContent = "上传中断了，没有保存；请检查网络后再点一次保存";
      });
      xhr.send(data);
      label.textContent = "正在上传…";
    });
  }
})();
