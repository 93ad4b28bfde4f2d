"""The libraries run together: a build from a corpus, and quality measured on a build.

Public API:
- `ilp_pipeline.run.run_build`: read, link by label, embed, link by meaning, write, switch
  (the steps are in `ilp_pipeline.steps`); `BuildReport`, `DocumentsFailed`;
- `ilp_pipeline.linking`: the linking model evaluated and refitted on a loaded build;
- `ilp_pipeline.baseline`: quality figures against corpus/eval/baseline.json.
"""
