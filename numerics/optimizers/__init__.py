"""Optimizers of the paper (Algs. 1, 2, 4; Def. 4.2; Prop. 2.5) as composable transforms, and ``run``,
the one entry point that simulates them (compiled engine when it can, reference engine otherwise).

>>> from numerics.datasets import gaussian
>>> from numerics.optimizers import inc_adam, run
>>> tr = run(gaussian(4, 8, seed=0).X, inc_adam(), 1000, checkpoints=3)
>>> tr.steps.tolist(), tr.engine in ("compiled", "reference")
([1, 32, 1000], True)
"""

from .grads import SampleGrads, sample_grads
from .registry import (OPTIMIZER_NAMES, Optimizer, adam_proxy, det_adam, det_signum, epoch_map, gd, inc_adam,
                       inc_signum, make_optimizer, minibatch_adam, signsgd)
from .run import ENGINES, RunPlan, prepare, run
from .samplers import SAMPLING_MODES, Sampler, cyclic, full_batch, reshuffle, with_replacement
from .transforms import SGD, Adam, AdamProxy, EpochMap, ScaledMoments, Signum, Transform, c_inc

__all__ = ["SampleGrads", "sample_grads", "OPTIMIZER_NAMES", "Optimizer", "adam_proxy", "det_adam", "det_signum",
           "epoch_map", "gd", "inc_adam", "inc_signum", "make_optimizer", "minibatch_adam", "signsgd", "run",
           "ENGINES", "RunPlan", "prepare", "SAMPLING_MODES", "Sampler", "cyclic", "full_batch", "reshuffle",
           "with_replacement", "ScaledMoments", "Transform", "Adam", "Signum", "SGD", "AdamProxy", "EpochMap",
           "c_inc"]
