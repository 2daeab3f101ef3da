/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy beside each text file of the build, at the highest levels:
 * compressing once at build time costs nothing per request, and the gateway sends the copies as they are
 * (gateway/fne_gateway/spa.py). Fonts and images are already compressed and are left alone.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/;
// Below about one network packet, compression saves nothing worth a second file.
const MIN_BYTES = 1024;

/** @param {string} directory @returns {number} how many files got their copies */
export function compressTree(directory) {
  let written = 0;
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) {
      written += compressTree(path);
      continue;
    }
    if (!TEXT.test(name) || name.endsWith(".map")) continue;
    const content = readFileSync(path);
    if (content.length < MIN_BYTES) continue;
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(content, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
      }),
    );
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    written += 1;
  }
  return written;
}

/**
 * react-dsfr writes its font preloads with a version query (`Marianne-Bold.woff2?v=1.14.2`) into index.html,
 * while dsfr.min.css asks for `fonts/Marianne-Bold.woff2`: two URLs, so each font was downloaded twice. The
 * preloads are pointed at the URL the stylesheet uses (react-dsfr rewrites index.html before each build,
 * so the built copy is the one fixed).
 * @param {string} indexPath
 */
export function preloadFontsOnce(indexPath) {
  const html = readFileSync(indexPath, "utf8");
  writeFileSync(indexPath, html.replace(/(\/dsfr\/fonts\/[\w-]+\.woff2)\?v=[\w.]+/g, "$1"));
}

/** @returns {import("vite").Plugin} */
export function precompress() {
  let outDir = "dist";
  return {
    name: "fne-precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      preloadFontsOnce(join(outDir, "index.html"));
      // The search screen's first state into index.html (scripts/prerender.mjs), before the copies are
      // written; in a process of its own, since it evaluates the app's modules in a jsdom window.
      const prerender = fileURLToPath(new URL("./prerender.mjs", import.meta.url));
      const done = spawnSync(process.execPath, [prerender, outDir], { stdio: "inherit" });
      if (done.status !== 0) throw new Error(`scripts/prerender.mjs failed (${done.status})`);
      compressTree(outDir);
    },
  };
}
