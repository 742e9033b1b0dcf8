"""Pickle modules the way NVIDIA's torch_utils/persistence.py does, written for latentvj's test fixtures.

A persistent module pickles as `_reconstruct_persistent_obj(meta)` with
meta = dict(type='class', version=6, module_src=<source text of the defining module>,
            class_name=<class name>, state=<the instance __dict__>).
Loading here (for our own round-trip check) finds the class by name in the fixture's networks module;
it never executes module_src.
"""
import copy
import sys

_VERSION = 6


def _reconstruct_persistent_obj(meta):
    import networks  # the fixture's own module; module_src is ignored on purpose
    assert meta['type'] == 'class'
    cls = getattr(networks, meta['class_name'])
    obj = cls.__new__(cls)
    obj.__dict__.update(meta['state'])
    return obj


class Persistent:
    """Mixin: records constructor arguments and pickles through _reconstruct_persistent_obj."""

    _module_src = None  # set by networks.py to its own source text

    def _record_init(self, args, kwargs):
        self._init_args = copy.deepcopy(args)
        self._init_kwargs = copy.deepcopy(kwargs)

    def __reduce__(self):
        src = type(self)._module_src
        if src is None:
            src = open(sys.modules[type(self).__module__].__file__).read()
        meta = dict(type='class', version=_VERSION, module_src=src,
                    class_name=type(self).__name__, state=dict(self.__dict__))
        return (_reconstruct_persistent_obj, (meta,), None)
