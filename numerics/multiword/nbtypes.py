"""numba types of the multi-word numbers.

``Multiword(K)``: one number of K float64 words held by value in registers (a struct, as numba holds
complex numbers), words ``w0`` (leading) .. ``w{K-1}``; built with :func:`pack2` / :func:`pack4`.
``WordArrayType(K)``: a :class:`~numerics.multiword.words.WordArray` inside compiled code, with ``v[i]``
(a ``Multiword``), ``v[i] = x``, ``len(v)`` and ``v.shape``, so that ``numerics.arith`` can index it like
an array (``epoch_map_sum``).  A float64 or an integer converts implicitly to a ``Multiword`` (``unify``
plus a cast), as ``x if c else 0.0`` in ``arith.rescale`` needs.
"""

from __future__ import annotations

import operator

from numba.core import cgutils, types
from numba.extending import (NativeValue, intrinsic, lower_cast, make_attribute_wrapper, models, overload,
                             overload_attribute, register_model, typeof_impl, unbox)

from .words import WordArray

__all__ = ["Multiword", "DD", "QD", "WordArrayType", "pack2", "pack4", "REAL"]

#: the plain numbers a multi-word number meets in mixed operations
REAL = (types.Float, types.Integer)


class Multiword(types.Type):
    """A K-word number (K = 2 double-double, K = 4 quad-double)."""

    def __init__(self, words: int):
        self.words = words
        super().__init__(name=f"Multiword{words}")

    def unify(self, typingctx, other):
        return self if isinstance(other, REAL) else None


DD, QD = Multiword(2), Multiword(4)


@register_model(Multiword)
class _MultiwordModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"w{k}", types.float64) for k in range(fe_type.words)])


for _k in range(4):
    make_attribute_wrapper(Multiword, f"w{_k}", f"w{_k}")


def _packer(mw: Multiword):
    def codegen(context, builder, signature, args):
        st = cgutils.create_struct_proxy(mw)(context, builder)
        for k, arg in enumerate(args):
            setattr(st, f"w{k}", arg)
        return st._getvalue()

    return codegen


@intrinsic
def pack2(typingctx, a, b):
    """The double-double with words (a, b) (no renormalisation)."""
    return DD(types.float64, types.float64), _packer(DD)


@intrinsic
def pack4(typingctx, a, b, c, d):
    """The quad-double with words (a, b, c, d) (no renormalisation)."""
    return QD(types.float64, types.float64, types.float64, types.float64), _packer(QD)


@lower_cast(types.Float, Multiword)
@lower_cast(types.Integer, Multiword)
def _real_to_multiword(context, builder, fromty, toty, val):
    st = cgutils.create_struct_proxy(toty)(context, builder)
    zero = context.get_constant(types.float64, 0.0)
    st.w0 = context.cast(builder, val, fromty, types.float64)
    for k in range(1, toty.words):
        setattr(st, f"w{k}", zero)
    return st._getvalue()


# ----------------------------------------------------------------------------------------- arrays of them
class WordArrayType(types.Type):
    def __init__(self, words: int):
        self.words = words
        self.array = types.Array(types.float64, 2, "C")
        super().__init__(name=f"WordArray{words}")


@register_model(WordArrayType)
class _WordArrayModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("a", fe_type.array)])


make_attribute_wrapper(WordArrayType, "a", "a")


@typeof_impl.register(WordArray)
def _typeof_word_array(val, c):
    return WordArrayType(val.K)


@unbox(WordArrayType)
def _unbox_word_array(typ, obj, c):
    arr_obj = c.pyapi.object_getattr_string(obj, "words")
    arr = c.unbox(typ.array, arr_obj)
    c.pyapi.decref(arr_obj)
    st = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    st.a = arr.value
    return NativeValue(st._getvalue(), is_error=arr.is_error, cleanup=arr.cleanup)


@overload(operator.getitem)
def _getitem(v, i):
    if isinstance(v, WordArrayType) and isinstance(i, types.Integer):
        if v.words == 2:
            return lambda v, i: pack2(v.a[i, 0], v.a[i, 1])
        return lambda v, i: pack4(v.a[i, 0], v.a[i, 1], v.a[i, 2], v.a[i, 3])


@overload(operator.setitem)
def _setitem(v, i, x):
    if not (isinstance(v, WordArrayType) and isinstance(i, types.Integer)):
        return None
    if isinstance(x, Multiword) and x.words == v.words == 2:
        def set2(v, i, x):
            v.a[i, 0] = x.w0
            v.a[i, 1] = x.w1
        return set2
    if isinstance(x, Multiword) and x.words == v.words == 4:
        def set4(v, i, x):
            v.a[i, 0] = x.w0
            v.a[i, 1] = x.w1
            v.a[i, 2] = x.w2
            v.a[i, 3] = x.w3
        return set4
    if isinstance(x, REAL):
        def set_real(v, i, x):
            v.a[i, 0] = x
            v.a[i, 1:] = 0.0
        return set_real


@overload(len)
def _len(v):
    if isinstance(v, WordArrayType):
        return lambda v: v.a.shape[0]


@overload_attribute(WordArrayType, "shape")
def _shape(v):
    return lambda v: (v.a.shape[0],)
