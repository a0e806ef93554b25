import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# The data-driven case loader lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

# Rule sets loaded by the tests (and by the commands they run) are cached in a folder of this
# run's own, never in the user's ~/.cache/patuh (engine/cache.py), removed at the end.
_CACHE = tempfile.mkdtemp(prefix="patuh-test-cache-")
os.environ["PATUH_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)
