"""ftpipe's TRL driver: trains (SFT / DPO with TRL + PEFT), serves an OpenAI-compatible chat endpoint and reports.

The TypeScript adapter (src/providers/trl.ts) owns job state. The contract is plain data: a job spec as a JSON
file in, JSON lines out (events.py), an exit code.
"""

__version__ = "1"
