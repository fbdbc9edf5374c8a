#!/usr/bin/env python3
"""Writes nfc.txt, the canonical data Nfc.cs needs, from Python's unicodedata.

Lines:  c FROM TO CCC     a run of code points with the same non-zero canonical combining class
        d CP A [B]        a canonical decomposition (one level) that NFC composes back
        x CP A [B]        a canonical decomposition NFC does not compose back (singletons, exclusions)
Hangul syllables are left out: Nfc.cs decomposes and composes them by arithmetic.
"""
import sys
import unicodedata

def main(out):
    out.write(f"# Canonical data for NFC, Unicode {unicodedata.unidata_version}, written by make-nfc.py.\n")
    run = None
    for cp in range(0x110000):
        ccc = unicodedata.combining(chr(cp))
        if run and run[2] == ccc and run[1] == cp - 1:
            run[1] = cp
            continue
        if run and run[2]:
            out.write(f"c {run[0]:04X} {run[1]:04X} {run[2]}\n")
        run = [cp, cp, ccc]
    if run and run[2]:
        out.write(f"c {run[0]:04X} {run[1]:04X} {run[2]}\n")
    for cp in range(0x110000):
        if 0xAC00 <= cp <= 0xD7A3:
            continue
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = d.split()
        kind = "d" if unicodedata.normalize("NFC", chr(cp)) == chr(cp) else "x"
        out.write(f"{kind} {cp:04X} {' '.join(parts)}\n")

if __name__ == "__main__":
    main(sys.stdout)
