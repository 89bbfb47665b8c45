#!/usr/bin/env node
// Formats citations and bibliographies with citeproc-js, the CSL engine inside Zotero.
//
// One process per build. Reads ONE JSON request on stdin, writes ONE JSON response on stdout:
//
//   request:  {"items": {id: CSL-JSON item},
//              "styles": {style_id: "<style xml>"},
//              "locales": {"en-US": "<locale xml>"},
//              "jobs": [{"style": style_id,
//                        "bibliography": true | false,
//                        "only": null | [id]   (render just these references; order is still all),
//                        "clusters": [[{"id", "locator", "label", "prefix", "suffix",
//                                       "suppress-author"}]]}]}
//   response: {"engine": "citeproc-js <version>",
//              "results": {style_id: {"references": {id: html}, "order": [id],
//                                     "clusters": [html]}},
//              "errors": ["message", ...]}
//
// Every item is registered in the style's engine before anything is formatted, so
// disambiguation (year suffixes 2011a/2011b, added given names) is site-wide and the
// bibliography and the in-text clusters agree. Errors are reported in "errors" (exit 0);
// a non-zero exit means the request itself could not be read.
//
// Jobs (one per style) run in parallel worker threads of this one process: citeproc-js is
// single-threaded and a style's registry of thousands of items takes seconds to build.
"use strict";

const CSL = require("citeproc");
const { Worker, isMainThread, parentPort, workerData } = require("worker_threads");

const PARALLEL_FROM_ITEMS = 300;

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function makeEngine(request, styleXml) {
  const sys = {
    retrieveLocale: (lang) => request.locales[lang] || request.locales["en-US"],
    retrieveItem: (id) => request.items[id],
  };
  const engine = new CSL.Engine(sys, styleXml, "en-US", true);
  engine.setOutputFormat("html");
  return engine;
}

function withStyleAttribute(html, styleId) {
  return html
    .trim()
    .replace(/^<div class="csl-entry">/, `<div class="csl-entry" data-csl-style="${styleId}">`);
}

function runJob(request, job, errors) {
  const styleXml = request.styles[job.style];
  if (!styleXml) {
    errors.push(`unknown style '${job.style}'`);
    return null;
  }
  const engine = makeEngine(request, styleXml);
  const ids = Object.keys(request.items);
  engine.updateItems(ids);
  const result = { references: {}, order: [], clusters: [] };
  if (job.bibliography) {
    // "only": an incremental rebuild needs a few references; rendering is most of the cost.
    const subset = Array.isArray(job.only);
    const bibsection = subset ? { include: job.only.map((id) => ({ field: "id", value: id })) } : undefined;
    const [params, entries] = subset && job.only.length === 0 ? [{ entry_ids: [] }, []]
      : engine.makeBibliography(bibsection);
    if (params.bibliography_errors && params.bibliography_errors.length) {
      for (const err of params.bibliography_errors) {
        errors.push(`${job.style}: bibliography error for '${err.itemID}': ${JSON.stringify(err)}`);
      }
    }
    params.entry_ids.forEach((idList, index) => {
      const id = String(idList[0]);
      if (!subset) result.order.push(id);
      result.references[id] = withStyleAttribute(entries[index], job.style);
    });
    if (subset) result.order = engine.registry.getSortedIds().map(String);
  }
  for (const cluster of job.clusters || []) {
    try {
      result.clusters.push(engine.makeCitationCluster(cluster));
    } catch (err) {
      errors.push(`${job.style}: cluster ${JSON.stringify(cluster)}: ${err && err.message}`);
      result.clusters.push(null);
    }
  }
  return result;
}

function runGuarded(request, job) {
  const errors = [];
  let result = null;
  try {
    result = runJob(request, job, errors);
  } catch (err) {
    errors.push(`${job.style}: ${err && err.stack ? err.stack : err}`);
  }
  return { result, errors };
}

function runInWorker(request, job) {
  return new Promise((resolve) => {
    const worker = new Worker(__filename, { workerData: { request, job } });
    worker.once("message", resolve);
    worker.once("error", (err) => resolve({ result: null, errors: [`${job.style}: ${err && err.stack ? err.stack : err}`] }));
  });
}

async function main() {
  const request = JSON.parse(await readStdin());
  const response = { engine: `citeproc-js ${CSL.PROCESSOR_VERSION}`, results: {}, errors: [] };
  const jobs = request.jobs || [];
  // A worker costs a second copy of citeproc-js (~0.5 s): worth it only for big registries.
  const parallel = jobs.length > 1 && Object.keys(request.items).length >= PARALLEL_FROM_ITEMS;
  const outcomes = parallel
    ? await Promise.all(jobs.map((job) => runInWorker(request, job)))
    : jobs.map((job) => runGuarded(request, job));
  jobs.forEach((job, index) => {
    const { result, errors } = outcomes[index];
    response.errors.push(...errors);
    if (result) response.results[job.style] = result;
  });
  process.stdout.write(JSON.stringify(response));
}

if (isMainThread) {
  main().catch((err) => {
    process.stderr.write(`citeproc runner: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  });
} else {
  parentPort.postMessage(runGuarded(workerData.request, workerData.job));
}
