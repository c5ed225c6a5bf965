/* Search results show maths as text, not as raw TeX.
 *
 * Sphinx's search page quotes a snippet of each page it finds, taken from the page's
 * HTML, where maths is still TeX ("\(\mathbf{w} \cdot \mathbf{x}\)"): MathJax typesets
 * it only when the page itself is shown. This turns that TeX into readable text
 * ("w · x") before the snippet is shown. Every other page: nothing happens.
 */
(function () {
  "use strict";
  var SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε",
    zeta: "ζ", eta: "η", theta: "θ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π",
    rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ",
    omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Sigma: "Σ", Phi: "Φ",
    Psi: "Ψ", Omega: "Ω", cdot: "·", times: "×", le: "≤", leq: "≤", ge: "≥", geq: "≥",
    ne: "≠", neq: "≠", approx: "≈", to: "→", rightarrow: "→", leftarrow: "←",
    in: "∈", infty: "∞", sum: "Σ", prod: "Π", partial: "∂", nabla: "∇", sqrt: "√",
    pm: "±", odot: "⊙", ldots: "…", dots: "…", cdots: "⋯", top: "ᵀ", mid: "|",
    lVert: "‖", rVert: "‖", Vert: "‖", lvert: "|", rvert: "|", langle: "⟨",
    rangle: "⟩", quad: " ", qquad: " ", ",": " ", ";": " ", ":": " ", "!": "",
    "{": "{", "}": "}", "%": "%", "_": "_", "&": "&", "\\": " ",
  };
  var ACCENTS = { hat: "\u0302", bar: "\u0304", tilde: "\u0303", dot: "\u0307", vec: "\u20d7" };

  function texToText(tex) {
    var s = tex;
    // \frac{a}{b} -> a/b (innermost first)
    for (var i = 0; i < 5; i++) {
      s = s.replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, function (_, a, b) {
        var wrap = function (x) { return /^\w+$/.test(x) ? x : "(" + x + ")"; };
        return wrap(a) + "/" + wrap(b);
      });
    }
    s = s.replace(/\\(hat|bar|tilde|dot|vec)\{(\w)\}/g, function (_, a, c) {
      return c + ACCENTS[a];
    });
    s = s.replace(/\\(hat|bar|tilde|dot|vec)\s*(\w)/g, function (_, a, c) {
      return c + ACCENTS[a];
    });
    s = s.replace(/\\(left|right|big|Big|bigg|Bigg)(?![a-zA-Z])/g, "");
    s = s.replace(/\\(mathbf|boldsymbol|bm|mathrm|mathit|mathcal|mathbb|text|textrm|operatorname|mathsf)\s*/g, "");
    s = s.replace(/\\([a-zA-Z]+|.)/g, function (_, name) {
      return Object.prototype.hasOwnProperty.call(SYMBOLS, name) ? SYMBOLS[name] : name;
    });
    s = s.replace(/[{}]/g, "");
    return s.replace(/\s+/g, " ").trim();
  }

  function mathToText(text) {
    return text
      .replace(/\\\(([\s\S]*?)\\\)/g, function (_, tex) { return texToText(tex); })
      .replace(/\\\[([\s\S]*?)\\\]/g, function (_, tex) { return texToText(tex); })
      .replace(/\$\$([\s\S]*?)\$\$/g, function (_, tex) { return texToText(tex); });
  }

  function patch() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.htmlToText.nnlib) {
      return;
    }
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      return mathToText(original(htmlString, anchor));
    };
    Search.htmlToText.nnlib = true;
  }

  window.nnlibMathToText = mathToText; // for the browser tests
  patch();
  document.addEventListener("DOMContentLoaded", patch);
})();
