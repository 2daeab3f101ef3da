/*
 * FNE Savoie — embeddable directory of digital-help places.
 *
 *   <script src="https://PLATFORM/widget.js" data-commune="73065" async></script>
 *
 * Options (attributes of the script tag): data-commune (INSEE codes, comma-separated), data-epci (SIREN),
 * data-titre (heading), data-carte="oui" (adds the map). The places are shown in an iframe of the platform,
 * inserted where the script tag is; its height follows its content.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var query = new URLSearchParams();
  var options = { commune: "code_insee", epci: "epci", titre: "titre", carte: "carte" };
  Object.keys(options).forEach(function (name) {
    var value = script.getAttribute("data-" + name);
    if (!value) return;
    if (name === "commune" || name === "epci") {
      value.split(",").forEach(function (code) {
        if (code.trim()) query.append(options[name], code.trim());
      });
    } else {
      query.set(options[name], value);
    }
  });
  var frame = document.createElement("iframe");
  frame.src = origin + "/widget?" + query.toString();
  frame.title = script.getAttribute("data-titre") || "Lieux d'aide au numérique près de chez vous";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.minHeight = "320px";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "fne-widget-height" && typeof data.height === "number") {
      frame.style.height = Math.ceil(data.height) + "px";
    }
  });
})();
