"""Stand-in for NVIDIA's dnnlib package, so pickled dict subclasses carry the same global name
(dnnlib.util.EasyDict in real pickles is reached as dnnlib.EasyDict; both are plain dicts with attribute access)."""
from .util import EasyDict  # noqa: F401
