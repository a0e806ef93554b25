import sys
from pathlib import Path

# The data-driven case loader lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
