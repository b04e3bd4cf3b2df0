"""``proofs-check``: the command line of the toolkit.

Every subcommand lives in one ``_add_<name>`` function (parser) and one ``_cmd_<name>``
(action).  Any ToolkitError (bad data, bad hyperparameters, solver trouble) becomes a
one-line message on stderr and exit code 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings


from numerics.errors import ConfigError, ToolkitError

from numerics import jsonsafe

from . import textfmt

__all__ = ["main", "build_parser"]

EXIT_USAGE = 2
EXIT_INTERNAL = 3  # never expected: the fuzz tests require 0, 2 or 4
EXIT_PREDICTION = 4  # a prediction (predict) or a check (run) could not be computed; the others are printed
#: default --budget of `run --data` (seconds of longer runs for the undecided claims): a few minutes, enough for
#: raw wine's AdamProxy, which needs ~1e8 steps (~200 s) to decide Thm 4.8
DATA_BUDGET = 300.0
EPILOG_DATA = ("DATA is a .npz file (array X, optional labels y in {{-1,+1}}), a .csv file (last column the "
               "+-1 label, optional header) or the name of a bundled example: {examples}.")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (usage stays available through --help)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _examples() -> str:
    try:
        from numerics.datasets import EXAMPLES
        return ", ".join(EXAMPLES)
    except ImportError:  # pragma: no cover - datasets always ships with the package
        return "(none)"


def _positive_float(text: str) -> float:
    """A finite positive number (seconds of a budget)."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (v > 0 and v < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a finite positive number, got {text!r}")
    return v


def _budget(text: str) -> float:
    """Seconds of a budget: a finite number >= 0 (0: no longer runs)."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (v >= 0 and v < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number of seconds >= 0, got {text!r}")
    return v


def _positive_int(text: str) -> int:
    """A positive integer, also written in scientific notation (``1e6``) as long as it is a whole number."""
    try:
        v = int(text)
    except ValueError:
        try:
            f = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
        if not (f.is_integer() and abs(f) < 2**63):
            raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
        v = int(f)
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def _precision_digits(text: str) -> int:
    v = _positive_int(text)
    if v < 15:
        raise argparse.ArgumentTypeError(f"precision below float64 is pointless; use >= 15 digits, got {v}")
    return v


def _precision(text: str) -> str:
    """``float64`` or a number of digits >= 15 (as for predict --precision)."""
    return "float64" if text.lower() == "float64" else str(_precision_digits(text))


# --------------------------------------------------------------------------- predict
def _add_predict(sub) -> None:
    p = sub.add_parser(
        "predict", help="predicted limit directions (l2, l_inf, AdamProxy fixed point, SignSGD) for DATA",
        description="Compute the limit directions the paper predicts for DATA: l2 max margin (GD; Inc-Adam on GR "
                    "data, Thm 3.3), l_inf max margin (Det-Adam; Inc-Signum, Thm 5.1), the Thm 4.8 fixed point "
                    "(AdamProxy / Inc-Adam as beta2 -> 1; Algorithm 3 refined by Newton at PRECISION digits) and "
                    "sum_i sign(x_i) (SignSGD).",
        epilog=EPILOG_DATA.format(examples=_examples()))
    p.add_argument("data", metavar="DATA", help="dataset file or bundled example name")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--precision", type=_precision_digits, metavar="DIGITS", default=None,
                   help="digits for the fixed-point refinement; AdamProxy direction and c are then printed as "
                        "decimal strings (default: 50 digits internally, floats printed)")
    p.add_argument("--certify", action="store_true",
                   help="prove existence and local uniqueness of the fixed point in a box (Krawczyk test in "
                        "python-flint ball arithmetic) and print the box; the direction becomes its centre")
    p.add_argument("--beta1", type=float, help="with --beta2/--batch-size: also predict Inc-Adam's limit at finite "
                                                "beta2 (key inc_adam; default beta1 0.9)")
    p.add_argument("--beta2", type=float, help="finite-beta2 prediction (key inc_adam; default 0.999)")
    p.add_argument("--batch-size", type=_positive_int, help="cyclic mini-batch size b for the inc_adam prediction")
    p.add_argument("--certificate-out", metavar="FILE.json", help="with --certify: write every proved object (l2 and "
                   "l_inf solutions with their multipliers, the fixed point's Krawczyk box) for "
                   "`proofs-check verify-certificate`")
    p.set_defaults(func=_cmd_predict)


def _cmd_predict(args) -> int:
    from .predict import predict

    from .heartbeat import Heartbeat

    ds = _load(args.data)
    with Heartbeat("predict"):  # silent unless it takes long (large N: minutes)
        out = predict(ds, precision=args.precision, certify=args.certify, beta1=args.beta1, beta2=args.beta2,
                      batch_size=args.batch_size, certificate_out=args.certificate_out)
    print(jsonsafe.dumps(out) if args.json else textfmt.prediction_table(out))
    for key, reason in out.get("not_applicable", {}).items():
        print(f"proofs-check: warning: {key} does not apply to these data: {reason}", file=sys.stderr)
    for key, reason in out.get("failed", {}).items():
        print(f"proofs-check: {key} could not be computed: {reason}", file=sys.stderr)
    return EXIT_PREDICTION if out.get("failed") else 0


# --------------------------------------------------------------------------- simulate
def _add_simulate(sub) -> None:
    from numerics.optimizers import OPTIMIZER_NAMES

    p = sub.add_parser(
        "simulate", help="run one optimizer on DATA and compare its direction with the predictions",
        description="Run one optimizer from w0 = 0 with eta_t = eta0 (t+2)^(-a) (GD: constant eta0), epsilon = 0, "
                    "zero-initialised moments, no bias correction (docs/math.md §2), and report the final direction, "
                    "norm, log-loss, normalised margins and cosine to each prediction of `predict`.",
        epilog=EPILOG_DATA.format(examples=_examples()) + " Optimizers: gd (full-batch GD), det-adam (Alg. 2), "
               "inc-adam (Alg. 1), adam (mini-batch Adam, --batch-size, --sampling), adam-proxy (Def. 4.2), "
               "epoch-map (Prop. 2.5, one step = one epoch), inc-signum (Alg. 4), det-signum, signsgd.")
    p.add_argument("data", metavar="DATA")
    p.add_argument("--optimizer", required=True, choices=OPTIMIZER_NAMES, metavar="NAME",
                   help="one of: " + ", ".join(OPTIMIZER_NAMES))
    p.add_argument("--steps", type=_positive_int, default=10_000, help="number of updates (default 10000)")
    p.add_argument("--eta0", type=float, help="learning-rate scale eta0 (default: scaled to the data, "
                                             "0.5 / max_i ||x_i||_1 for Adam/Signum, 8 N / max_i ||x_i||_1 for "
                                             "AdamProxy, 1 / max_i ||x_i||_2^2 for GD)")
    p.add_argument("--decay", type=float, dest="a", metavar="A", help="decay exponent a in [0, 1] (default 0.5)")
    p.add_argument("--beta1", type=float, help="Adam beta1 (default 0.9; needs beta1 <= beta2)")
    p.add_argument("--beta2", type=float, help="Adam beta2 (default 0.999; must be < 1)")
    p.add_argument("--beta", type=float, help="Signum momentum (default 0.99)")
    p.add_argument("--batch-size", type=_positive_int, help="mini-batch size b (adam, inc-signum)")
    p.add_argument("--sampling", choices=("cyclic", "replacement", "reshuffle"), help="batch order for adam")
    p.add_argument("--loss", choices=("exp", "logistic"), default="exp", help="loss (default exp)")
    p.add_argument("--precision", type=_precision, default="float64", metavar="float64|DIGITS",
                   help="float64 (log-domain scaled) or DIGITS >= 15: compiled double-double up to 31 digits, "
                        "quad-double up to 62, mpmath beyond (default float64)")
    p.add_argument("--seed", type=int, default=0, help="seed for random sampling orders (default 0)")
    p.add_argument("--budget", type=_positive_float, metavar="SECONDS",
                   help="run again (from w0 = 0) at the horizon the estimate's per-octave rate asks for, or 4x the "
                        "steps while it has not settled, until a prediction is the limit or the next run would not "
                        "fit in SECONDS; --steps is the first horizon; reports the steps a decision would need "
                        "(JSON keys horizon, needed_steps)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--trajectory", action="store_true",
                   help="with --json: also print the checkpointed trajectory (key trajectory: steps, log_loss, cos)")
    p.set_defaults(func=_cmd_simulate)


def _cmd_simulate(args) -> int:
    from .simulate import simulate, simulation_table, warning

    if args.trajectory and not args.json:
        raise ConfigError("--trajectory goes with --json (the table shows the final state only)")
    ds = _load(args.data)
    settings = {k: getattr(args, k) for k in ("eta0", "a", "beta1", "beta2", "beta", "batch_size", "sampling")}
    out = simulate(ds, args.optimizer, steps=args.steps, settings=settings, loss=args.loss,
                   precision=args.precision, seed=args.seed, progress=True, budget=args.budget)
    if args.json:
        if not args.trajectory:
            out.pop("trajectory")
        print(jsonsafe.dumps(out))
    else:
        print(simulation_table(out))
    if (why := warning(out)) is not None:
        print(f"proofs-check: warning: {why}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- run / list
def _add_run(sub) -> None:
    p = sub.add_parser(
        "run", help="verify the paper's claims (default: all) and print a table",
        description="Verify claims of the paper, one check per claim. Each asymptotic claim runs the optimizer, "
                    "estimates its limit with an error bar (the resolution, as 1 - cos) and passes only if the "
                    "prediction lies within the resolution and every plausible wrong answer (the rivals: l2, l_inf, "
                    "the other predictions, ...) is at least 100x farther; a run too short to decide is "
                    "'inconclusive', never a failure. Verdicts: pass, fail, inconclusive, skip (not about these "
                    "data), error. `proofs-check list -v` prints each check's algorithm and tolerance. Exit code "
                    "1 if a claim fails, 4 if a check could not be computed, else 0.",
        epilog="Examples: `proofs-check run`, `proofs-check run thm-4.8 ex-4.10 --quick`, "
               "`proofs-check run thm-4.8 --data mydata.npz --json report.json`.")
    p.add_argument("ids", nargs="*", metavar="ID", help="claim ids (see `proofs-check list`); default: all")
    p.add_argument("--quick", action="store_true",
                   help="shorter horizons where they still decide (the resolutions are coarser; under a minute)")
    p.add_argument("--data", metavar="DATA", help="run the checks on this dataset instead of their defaults")
    p.add_argument("--seed", type=int, default=0, help="seed for generated data and random orders (default 0)")
    p.add_argument("--json", metavar="PATH", help="also write the report as JSON (schema: proofs_check.report)")
    p.add_argument("--markdown", metavar="PATH", help="also write the report as Markdown")
    p.add_argument("--figures", metavar="DIR", help="also draw the paper's figures into DIR")
    p.add_argument("--budget", type=_budget, metavar="SECONDS",
                   help=f"after every claim has run at its own horizon, spend up to SECONDS on longer runs of the "
                        f"undecided ones, in rounds of one longer run per undecided case (cheapest decision first; "
                        f"each starts again from w0 = 0 at the horizon its estimate's rate asks for, or 4x, or the "
                        f"longest that fits); an undecided claim names the horizon a decision would need (default "
                        f"{DATA_BUDGET:g} with --data, 0 otherwise)")
    p.set_defaults(func=_cmd_run)


def _cmd_run(args) -> int:
    from .claims import Context
    from .report import as_json, as_markdown, as_table
    from .runner import run_claims, select

    select(args.ids)  # unknown ids fail before any work
    data = _load(args.data) if args.data else None
    progress = sys.stderr.isatty()
    budget = args.budget if args.budget is not None else (DATA_BUDGET if data is not None else 0.0)
    ctx = Context(quick=args.quick, seed=args.seed, data=data, progress=progress, budget=budget or None)
    report = run_claims(args.ids, ctx, progress=progress)
    print(as_table(report))
    for path, text in ((args.json, as_json), (args.markdown, as_markdown)):
        if path:
            _write(path, text(report))
    if args.figures:
        from .figures.command import draw_figures

        draw_figures(args.figures, quick=args.quick, seed=args.seed, dataset=data, progress=progress)
    if not report.ok:
        return 1
    return EXIT_PREDICTION if report.errors else 0


def _add_list(sub) -> None:
    p = sub.add_parser("list", help="list the claim ids", description="List the claims `run` checks.")
    p.add_argument("-v", "--verbose", action="store_true", help="also print each check's docstring")
    p.set_defaults(func=_cmd_list)


def _cmd_list(args) -> int:
    from .claims import CLAIMS

    for c in CLAIMS:
        print(f"{c.id:<14} [{c.method}] {c.statement}")
        if args.verbose:
            print("\n".join("    " + line.strip() for line in c.doc.strip().splitlines()) + "\n")
    return 0


def _add_figures(sub) -> None:
    from .figures.command import add_parser

    add_parser(sub, _load)


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise ToolkitError(f"cannot write {path}: {exc.strerror}") from None


# --------------------------------------------------------------------------- main
def _load(spec: str):
    from numerics.datasets import DatasetWarning, resolve

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DatasetWarning)
        ds = resolve(spec)
    for w in caught:
        if issubclass(w.category, DatasetWarning):
            print(f"proofs-check: warning: {w.message}", file=sys.stderr)
    return ds


def _add_verify_certificate(sub) -> None:
    from .verify_certificate import add_parser

    add_parser(sub)


def _add_sweep(sub) -> None:
    from .sweep import add_parser

    add_parser(sub)


COMMANDS = [_add_run, _add_list, _add_predict, _add_simulate, _add_figures, _add_sweep, _add_verify_certificate]


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of every subcommand (one `_add_<name>` each)."""
    parser = _Parser(
        prog="proofs-check",
        description="Verification toolkit for arXiv 2510.26303 (implicit bias of per-sample Adam on separable data).",
        epilog="Run `proofs-check COMMAND --help` for the options of each command.")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in COMMANDS:
        add(sub)
    for command in sub.choices.values():  # `proofs-check predict X --debug` works too
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show Python tracebacks on errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `proofs-check`; returns the exit code (0 ok, 1 a claim failed, 2 bad input, 3 a bug)."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not [a for a in argv if a not in ("--debug",)]:
        argv = [*argv, "run"]  # `proofs-check` alone verifies the whole paper
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a reader that went away (`| head`) shows up here, inside the handlers
        return code
    except BrokenPipeError:  # before `except Exception`: a closed pipe is not a bug
        _discard_stdout()
        return 0
    except ToolkitError as exc:
        if args.debug:
            traceback.print_exc()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"proofs-check: error: {first}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("proofs-check: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback with --debug
        if args.debug:
            raise
        print(f"proofs-check: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
              "(a bug; rerun with --debug for the traceback and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


def _discard_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail on the closed pipe again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. captured by a test): nothing left to flush
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
