"""Fuzzing forecast tables (issue 16): mutations of a CSV table either forecast, or are
refused with a ForecastError that names the column or actor (or by pandas' CSV reader with
its own error). Never another exception.

Mutations: a cell set to a wrong type, a boolean, a non-finite, out-of-range or huge
number; a duplicated row or column, an actor repeated with another case or spacing; a
dropped, renamed or unknown column; no rows; bytes that are not UTF-8; many more rows.
"""

from __future__ import annotations

import io
import os

import pandas as pd
from forecast_cases import FORECAST
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from negsim import forecast
from negsim.forecasting.table import ForecastError

#: Examples per CI run.
EXAMPLES = int(os.environ.get("NEGSIM_FUZZ_EXAMPLES", 500))

CSV = (FORECAST / "bdm1994_emissions.csv").read_text(encoding="utf-8")
HEADER, *ROWS = [line for line in CSV.splitlines() if line.strip()]
COLUMNS = HEADER.split(",")
TOKENS = st.one_of(
    st.sampled_from(["true", "false", "TRUE", "True", "nan", "NaN", "inf", "-inf", "", " ",
                     "abc", "1e308", "-1e308", "1e309", "-1", "2", "1.5", "0", "0x10", "1_000",
                     "\"1,5\"", "1" + "0" * 400, " 3 ", "$\\x$", "None", "NULL"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
            max_size=8),
)


@st.composite
def table_bytes(draw: st.DrawFn) -> bytes:
    header = list(COLUMNS)
    rows = [r.split(",") for r in ROWS]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "dup_row", "case_row", "dup_col",
                                     "drop_col", "rename_col", "extra_col", "no_rows",
                                     "many_rows"]))
        if not rows and kind not in ("dup_col", "drop_col", "rename_col", "extra_col"):
            continue
        if kind == "cell":
            r = draw(st.integers(0, len(rows) - 1))
            c = draw(st.integers(0, len(header) - 1))
            if c < len(rows[r]):
                rows[r][c] = draw(TOKENS)
        elif kind == "dup_row":
            rows.append(list(draw(st.sampled_from(rows))))
        elif kind == "case_row":
            row = list(draw(st.sampled_from(rows)))
            row[0] = draw(st.sampled_from([row[0].upper(), row[0].lower(), f" {row[0]}",
                                           f"{row[0]}  ", row[0].swapcase()]))
            rows.append(row)
        elif kind in ("dup_col", "drop_col", "rename_col") and header:
            c = draw(st.integers(0, len(header) - 1))
            if kind == "dup_col":
                header.append(header[c])
                for row in rows:
                    row.append(row[c] if c < len(row) else "")
            elif kind == "drop_col":
                del header[c]
                for row in rows:
                    if c < len(row):
                        del row[c]
            else:
                header[c] = draw(st.sampled_from(["Actor", "capabilty", "pos", "", "x"]))
        elif kind == "extra_col":
            header.append(draw(st.sampled_from(["note", "weight", "issue"])))
            for row in rows:
                row.append(draw(TOKENS))
        elif kind == "no_rows":
            rows = []
        else:
            n = draw(st.sampled_from([30, 1001, 5000]))
            rows = [[f"x{i}"] + rows[i % len(rows)][1:] for i in range(n)]
    text = "\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n"
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\x80"])) + data[at:]
    return data


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=table_bytes())
def test_mutated_tables(data: bytes) -> None:
    try:
        df = pd.read_csv(io.BytesIO(data))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        event("refused by pandas' reader")
        return
    try:
        res = forecast(df, rounds=3)
    except ForecastError as err:
        msg = str(err)
        assert msg and "\n" not in msg
        named = [c for c in ("actor", "capability", "position", "salience", "column",
                             "table", "row") if c in msg]
        assert named, msg
        event("refused")
        return
    assert len(res.positions) == 4 * len(df)
    assert res.positions["position"].notna().all()
    event("valid, and forecast")
