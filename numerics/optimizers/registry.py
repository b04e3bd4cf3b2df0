"""The paper's optimizers as (transform, sampler, schedule) triples.

Each constructor is named after the paper's algorithm; ``make_optimizer`` maps
the CLI names onto them.  Defaults where the paper's values were lost
(docs/math.md §12): eta_t = 0.1 (t+2)^(-1/2), (beta1, beta2) = (0.9, 0.999),
Signum beta = 0.99; GD uses a constant rate.
"""

from __future__ import annotations

import inspect

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import HyperparameterError
from ..schedules import PolynomialDecay, constant, polynomial_decay
from . import transforms
from .samplers import Sampler, cyclic, full_batch

__all__ = ["Optimizer", "gd", "det_adam", "inc_adam", "minibatch_adam", "adam_proxy", "epoch_map",
           "inc_signum", "det_signum", "signsgd", "make_optimizer", "OPTIMIZER_NAMES"]

@dataclass(frozen=True)
class Optimizer:
    """A named optimizer: w_{t+1} = w_t - eta_t * transform(grads of sampler's batch).

    ``per_epoch``: one update is a whole epoch and uses eta_{rN} (Prop. 2.5's epoch map).
    """

    name: str
    transform: transforms.Transform
    sampler: Sampler
    schedule: PolynomialDecay
    per_epoch: bool = False
    hyper: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hyper", MappingProxyType(dict(self.hyper)))

def _sched(eta0: float, a: float) -> PolynomialDecay:
    return polynomial_decay(eta0, a)

def gd(eta: float = 0.1) -> Optimizer:
    """Full-batch GD with constant rate (baseline: -> l2 max margin, Soudry et al. 2018)."""
    return Optimizer("gd", transforms.sgd(), full_batch(), constant(eta), hyper={"eta": eta})

def det_adam(beta1: float = 0.9, beta2: float = 0.999, eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """Det-Adam (Alg. 2): Adam on the full-batch gradient (-> l_inf max margin, Zhang et al. 2024)."""
    return Optimizer("det-adam", transforms.adam(beta1, beta2), full_batch(), _sched(eta0, a),
                     hyper={"beta1": beta1, "beta2": beta2, "eta0": eta0, "a": a})

def minibatch_adam(batch_size: int = 1, sampling: str = "cyclic", beta1: float = 0.9, beta2: float = 0.999,
                   eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """Mini-batch Adam with batch size b under cyclic / with-replacement / reshuffling sampling (App. C)."""
    return Optimizer("adam", transforms.adam(beta1, beta2), Sampler(sampling, batch_size), _sched(eta0, a),
                     hyper={"beta1": beta1, "beta2": beta2, "eta0": eta0, "a": a,
                            "batch_size": batch_size, "sampling": sampling})

def inc_adam(beta1: float = 0.9, beta2: float = 0.999, eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """Inc-Adam (Alg. 1): one sample per step in cyclic order 0, ..., N-1."""
    opt = minibatch_adam(1, "cyclic", beta1, beta2, eta0, a)
    return Optimizer("inc-adam", opt.transform, opt.sampler, opt.schedule,
                     hyper={k: v for k, v in opt.hyper.items() if k not in ("batch_size", "sampling")})

def adam_proxy(eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """AdamProxy (Def. 4.2): the beta2 -> 1 limit of Inc-Adam's epoch map (Prop. 4.1)."""
    return Optimizer("adam-proxy", transforms.adam_proxy(), full_batch(), _sched(eta0, a), hyper={"eta0": eta0, "a": a})

def epoch_map(beta1: float = 0.9, beta2: float = 0.999, eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """Prop. 2.5's recurrence w^{r+1}_0 = w^r_0 - eta_{rN} (C_inc sum_i ...), eps_r = 0; one update per epoch."""
    return Optimizer("epoch-map", transforms.epoch_map(beta1, beta2), full_batch(), _sched(eta0, a), per_epoch=True,
                     hyper={"beta1": beta1, "beta2": beta2, "eta0": eta0, "a": a})

def inc_signum(beta: float = 0.99, batch_size: int = 1, eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """Inc-Signum (Alg. 4) with cyclic batches of size b."""
    return Optimizer("inc-signum", transforms.signum(beta), cyclic(batch_size), _sched(eta0, a),
                     hyper={"beta": beta, "batch_size": batch_size, "eta0": eta0, "a": a})

def det_signum(beta: float = 0.99, eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """Full-batch Signum (Fan et al. 2025: -> l_inf max margin)."""
    return Optimizer("det-signum", transforms.signum(beta), full_batch(), _sched(eta0, a),
                     hyper={"beta": beta, "eta0": eta0, "a": a})

def signsgd(eta0: float = 0.1, a: float = 0.5) -> Optimizer:
    """SignSGD = Inc-Signum with beta = 0, b = 1 (App. G remark: -> sum_i sign(x_i))."""
    return Optimizer("signsgd", transforms.signum(0.0), cyclic(1), _sched(eta0, a), hyper={"eta0": eta0, "a": a})

_FACTORIES = {
    "gd": (gd, {"eta0": "eta"}),
    "det-adam": (det_adam, {}),
    "inc-adam": (inc_adam, {}),
    "adam": (minibatch_adam, {}),
    "adam-proxy": (adam_proxy, {}),
    "epoch-map": (epoch_map, {}),
    "inc-signum": (inc_signum, {}),
    "det-signum": (det_signum, {}),
    "signsgd": (signsgd, {}),
}
OPTIMIZER_NAMES = tuple(_FACTORIES)

def make_optimizer(name: str, **settings: Any) -> Optimizer:
    """Build an optimizer by CLI name; settings it does not take must be None (else an error says so)."""
    if name not in _FACTORIES:
        raise HyperparameterError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZER_NAMES)}")
    factory, renames = _FACTORIES[name]

    accepted = set(inspect.signature(factory).parameters)
    kwargs = {}
    for key, value in settings.items():
        if value is None:
            continue
        key = renames.get(key, key)
        if key not in accepted:
            raise HyperparameterError(f"optimizer {name!r} does not take {key.replace('_', '-')!r}")
        kwargs[key] = value
    return factory(**kwargs)
