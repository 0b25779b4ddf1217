// Copy the front-end files GovGrid needs at run time from node_modules into
// govgrid/static/vendor/, and record what was copied in govgrid/static/vendor/VERSIONS.json.
//
// Run from frontend/ after `npm ci`:  npm run vendor
// The output is committed: deployments run on intranets without npm or a CDN.

import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "govgrid", "static", "vendor");

// package -> { target directory under vendor/, files to copy: [source in the package, destination],
//              license: SPDX id, only for packages whose package.json declares none }
// Swagger UI file names are the ones flask-smorest's swagger_ui.html template asks for.
const PACKAGES = {
  leaflet: {
    dir: "leaflet",
    files: [
      ["dist/leaflet.js", "leaflet.js"],
      ["dist/leaflet.css", "leaflet.css"],
      ["dist/images/", "images/"],
      ["LICENSE", "LICENSE"],
    ],
  },
  // leaflet-heat.js bundles simpleheat (same author, BSD-2-Clause as well).
  "leaflet.heat": {
    dir: "leaflet.heat",
    files: [
      ["dist/leaflet-heat.js", "leaflet-heat.js"],
      ["LICENSE", "LICENSE"],
    ],
    license: "BSD-2-Clause", // package.json has no "license" field; this is the text of its LICENSE
  },
  // The CSS has no url() references, so there are no images to copy.
  "leaflet.markercluster": {
    dir: "leaflet.markercluster",
    files: [
      ["dist/leaflet.markercluster.js", "leaflet.markercluster.js"],
      ["dist/MarkerCluster.css", "MarkerCluster.css"],
      ["dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"],
      ["MIT-LICENCE.txt", "LICENSE"],
    ],
  },
  "swagger-ui-dist": {
    dir: "swagger-ui",
    files: [
      ["swagger-ui.css", "swagger-ui.css"],
      ["swagger-ui-bundle.js", "swagger-ui-bundle.js"],
      ["swagger-ui-bundle.js.LICENSE.txt", "swagger-ui-bundle.js.LICENSE.txt"],
      ["swagger-ui-standalone-preset.js", "swagger-ui-standalone-preset.js"],
      ["favicon-16x16.png", "favicon-16x16.png"],
      ["favicon-32x32.png", "favicon-32x32.png"],
      ["LICENSE", "LICENSE"],
      ["NOTICE", "NOTICE"],
    ],
  },
};

function fail(message) {
  console.error(`vendor: ${message}`);
  process.exit(1);
}

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

// A trailing "/" copies every file of a directory (not recursive: Leaflet's images/ is flat).
function expand(name, source, destination) {
  if (!source.endsWith("/")) return [[source, destination]];
  return readdirSync(join(modules, name, source))
    .sort()
    .map((file) => [source + file, destination + file]);
}

const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const record = {};
for (const [name, spec] of Object.entries(PACKAGES)) {
  const locked = lock.packages?.[`node_modules/${name}`];
  if (!locked) fail(`${name} is not in package-lock.json; run npm install first`);
  const installed = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
  if (installed !== locked.version) {
    fail(`node_modules has ${name} ${installed} but the lockfile says ${locked.version}; run npm ci`);
  }
  const license = locked.license ?? spec.license;
  if (!license) fail(`${name} declares no licence; check its files and set license in PACKAGES`);
  const target = join(vendor, spec.dir);
  rmSync(target, { recursive: true, force: true });
  const files = {};
  for (const [source, destination] of spec.files.flatMap(([s, d]) => expand(name, s, d))) {
    const from = join(modules, name, source);
    if (!statSync(from, { throwIfNoEntry: false })?.isFile()) fail(`${name} has no ${source}`);
    const to = join(target, destination);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to); // byte for byte, so the hashes can be checked against the package
    chmodSync(to, 0o644); // leaflet.markercluster's tarball marks every file executable
    files[relative(vendor, to).split("\\").join("/")] = sha256(to);
  }
  record[name] = {
    version: locked.version,
    integrity: locked.integrity,
    license,
    directory: spec.dir,
    files,
  };
}

const versions = {
  comment: "Written by frontend/vendor.mjs from frontend/package-lock.json; do not edit by hand.",
  packages: record,
};
writeFileSync(join(vendor, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
for (const [name, info] of Object.entries(record)) {
  console.log(`vendored ${name}@${info.version}: ${Object.keys(info.files).length} files -> vendor/${info.directory}/`);
}
