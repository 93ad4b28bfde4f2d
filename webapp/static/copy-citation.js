// Copy-citation buttons: progressive enhancement. Every element with a data-citation attribute
// gets a "Copy citation" button that puts the citation on the clipboard. Without this script
// the page is whole: each passage still links to its citation page.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on another host: the clipboard API is not offered, the older command is.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function addButton(element) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-citation";
    button.textContent = "Copy citation";
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copyText(element.getAttribute("data-citation")).then(
        function () { status.textContent = "Copied"; },
        function () { status.textContent = "Could not copy; use Cite this passage"; }
      );
    });
    element.appendChild(document.createTextNode(" "));
    element.appendChild(button);
    element.appendChild(status);
  }

  document.querySelectorAll("[data-citation]").forEach(addButton);
})();
