"""Optimizers of the paper (Algs. 1, 2, 4; Def. 4.2; Prop. 2.5) as composable transforms.

>>> from numerics.optimizers import inc_adam, run
>>> from numerics.backend import FLOAT64
"""

from .grads import SampleGrads, sample_grads
from .registry import (OPTIMIZER_NAMES, Optimizer, adam_proxy, det_adam, det_signum, epoch_map, gd, inc_adam,
                       inc_signum, make_optimizer, minibatch_adam, signsgd)
from .run import run
from .samplers import SAMPLING_MODES, Sampler, cyclic, full_batch, reshuffle, with_replacement
from .transforms import ScaledMoments, Transform, c_inc

__all__ = ["SampleGrads", "sample_grads", "OPTIMIZER_NAMES", "Optimizer", "adam_proxy", "det_adam", "det_signum",
           "epoch_map", "gd", "inc_adam", "inc_signum", "make_optimizer", "minibatch_adam", "signsgd", "run",
           "SAMPLING_MODES", "Sampler", "cyclic", "full_batch", "reshuffle", "with_replacement",
           "ScaledMoments", "Transform", "c_inc"]
