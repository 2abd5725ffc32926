// Progressive enhancement only: every form works without this script.
(function () {
  "use strict";

  // the receipt: a copy button for the tracking code
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.querySelector(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) status.textContent = "已复制查询编号";
      });
    });
  });

  // a character count under a textarea with a maxlength
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var update = function () {
      counter.textContent = area.value.length + " / " + area.getAttribute("maxlength") + " 字";
    };
    area.addEventListener("input", update);
    update();
  });

  // photos: refuse a fourth one before the upload, as the server would
  document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
    input.addEventListener("change", function () {
      var most = parseInt(input.getAttribute("data-max-files"), 10);
      input.setCustomValidity(input.files.length > most ? "最多上传 " + most + " 张照片" : "");
      input.reportValidity();
    });
  });

  // one submission per click: the button waits while the form is sent
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
    });
  });
})();
