"""Which rules engine this process uses, decided without loading either.

durable-rules where its C extension is installed (the extra ``idmf[durable]``,
which needs a C compiler and does not build on Python 3.13: ``PyEval_CallObject``
is gone) and can be imported; otherwise idmf's own evaluator,
which the property tests hold equal to it. ``IDMF_ENGINE=oracle`` chooses the
evaluator anywhere, so make test can run the suite under both. Kept apart
from ``idmf.rules`` so `idmf --version` can name the engine quickly.
"""

from __future__ import annotations

import os
import sys

DURABLE_RULES_VERSION = "2.0.28"  # pinned in pyproject.toml (the [durable] extra)
DURABLE = "durable-rules"
EVALUATOR = "idmf evaluator"


def engine_choice() -> tuple[str, str]:
    """(DURABLE or EVALUATOR, why, in words for `idmf --version`, `rules test` and reports)."""
    wanted = os.environ.get("IDMF_ENGINE", "").strip().lower()
    if wanted in ("oracle", "evaluator", "idmf"):
        return EVALUATOR, f"{EVALUATOR} (chosen by IDMF_ENGINE)"
    try:
        import durable_rules_engine  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name == "durable_rules_engine":
            # The default install: durable-rules is the optional extra idmf[durable]
            # (it compiles C, and does not build from Python 3.13).
            if sys.version_info >= (3, 13):
                return EVALUATOR, f"{EVALUATOR} (durable-rules is not installed: it does not build on Python 3.13 and later)"
            return EVALUATOR, f"{EVALUATOR} (durable-rules is not installed: it is the extra idmf[durable])"
        return EVALUATOR, f"{EVALUATOR} (durable-rules cannot be imported here: {exc})"
    except ImportError as exc:
        return EVALUATOR, f"{EVALUATOR} (durable-rules cannot be imported here: {exc})"
    return DURABLE, f"{DURABLE} {DURABLE_RULES_VERSION}"


def engine_name() -> str:
    return engine_choice()[1]
