"""The evaluation report: REPORT.md, metrics.json and a chart of the metrics by category."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.evaluation.scoring import METRICS, THRESHOLDS


def write_report(summary: dict[str, Any], folder: Path,
                 ablation: dict[str, dict[str, Any]] | None = None) -> Path:
    """REPORT.md, metrics.json and a chart of the metrics by category."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    cats = list(summary["by_category"])
    names = [m for m in METRICS if m != "retrieval_recall@5"] + ["retrieval_recall@5"]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        vals = [summary["by_category"][c].get(name) or 0.0 for c in cats]
        ax.bar([x + i * width for x in range(len(cats))], vals, width, label=name)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(cats))], cats)
    ax.set_ylim(0, 1.05)
    ax.set_title(f"imnm eval: metrics by category (n={summary['n']})")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(folder / "metrics_by_category.png", dpi=100)
    plt.close(fig)

    def fmt(v: float | None) -> str:
        return "—" if v is None else f"{v:.3f}"

    md = ["# imnm evaluation", "", f"Gold items: {summary['n']}", "",
          "| metric | value | threshold |", "| --- | --- | --- |"]
    md += [f"| {m} | {fmt(summary['metrics'][m])} | {THRESHOLDS.get(m, '—')} |" for m in METRICS]
    if summary.get("latency"):
        md += ["", f"Latency per answer: p50 {summary['latency']['p50_ms']} ms, "
               f"p95 {summary['latency']['p95_ms']} ms."]
    md += ["", "## By category", "", "| category | n | " + " | ".join(METRICS) + " |",
           "| --- | --- |" + " --- |" * len(METRICS)]
    for c, m in summary["by_category"].items():
        md.append(f"| {c} | {m['n']} | " + " | ".join(fmt(m[k]) for k in METRICS) + " |")
    md += ["", "![metrics by category](metrics_by_category.png)"]
    if ablation:
        md += ["", "## Ablation: retrieval mode", "", "| mode | " + " | ".join(METRICS) + " |",
               "| --- |" + " --- |" * len(METRICS)]
        for mode, s in ablation.items():
            md.append(f"| {mode} | " + " | ".join(fmt(s['metrics'][k]) for k in METRICS) + " |")
    failing = [i for i in summary["items"] if i["failed"]]
    md += ["", f"## Failing items ({len(failing)})", ""]
    for i in failing:
        md += [f"### {i['id']} ({i['category']}, {i['kind']}): {', '.join(i['failed'])}", "",
               f"**Q:** {i['question']}", "", f"**A:** {i['answer']}", ""]
        if i["facts_missing"]:
            md.append(f"Missing facts: {', '.join(i['facts_missing'])}")
        if i["unsupported"]:
            md.append(f"Unsupported sentences: {i['unsupported']}")
        md.append("")
    (folder / "REPORT.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (folder / "metrics.json").write_text(
        json.dumps({k: v for k, v in summary.items() if k != "items"} | {"ablation": {
            m: s["metrics"] for m, s in (ablation or {}).items()}}, indent=2) + "\n",
        encoding="utf-8")
    return folder / "REPORT.md"
