"""The functions a Go template in a stack manifest may call: Go's builtins, the Sprig functions
Atmos enables (`sprig.HermeticTxtFuncMap`: no `env`/`expandenv`) and Gomplate's deterministic
ones [internal/exec/template_utils.go, template_funcs.go]. Values print with Go's `%v`.

Everything here is pure; functions that reach the outside world are listed in OUTSIDE and never
run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml import YAML


class FuncError(Exception):
    """A function refused its arguments (Go returns an error)."""


class TemplateFail(Exception):
    """`fail` / `required`: the template asks Atmos to stop with this message."""


OUTSIDE = frozenset(
    [
        # Sprig's non-hermetic or non-deterministic functions.
        "env", "expandenv", "now", "date", "dateInZone", "date_in_zone", "dateModify",
        "date_modify", "htmlDate", "htmlDateInZone", "ago", "unixEpoch", "duration",
        "durationRound", "toDate", "mustToDate", "uuidv4", "randAlpha", "randAlphaNum",
        "randAscii", "randNumeric", "randInt", "randBytes", "shuffle", "genPrivateKey",
        "derivePassword", "buildCustomCert", "genCA", "genCAWithKey", "genSelfSignedCert",
        "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "encryptAES",
        "decryptAES", "getHostByName", "bcrypt", "htpasswd",
        # Gomplate namespaces and functions that read files, the network, the clock or env.
        "datasource", "ds", "datasourceExists", "datasourceReachable", "defineDatasource",
        "include", "listDatasources", "exec", "atmos", "aws", "gcp", "azure", "file", "filepath",
        "os", "net", "sockaddr", "time", "random", "uuid", "crypto", "tmpl", "test", "getenv",
        "semver", "path",
    ]
)  # fmt: skip


# ---- Go's printing ----------------------------------------------------------------------


def go_float(value: float) -> str:
    """Go's `%v` of a float64 (strconv 'g' with the shortest precision)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    text = repr(value)
    mantissa, _, exp_text = text.partition("e")
    digits = mantissa.replace("-", "").replace(".", "").lstrip("0") or "0"
    exponent = int(f"{value:e}".split("e")[1])
    if exponent < -4 or exponent >= 6:
        lead = digits[0] + ("." + digits[1:].rstrip("0") if digits[1:].rstrip("0") else "")
        sign = "-" if value < 0 else ""
        return f"{sign}{lead}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"
    if exp_text:
        text = f"{value:f}".rstrip("0").rstrip(".")
    return text.removesuffix(".0")


def go_str(value: Any, nested: bool = False) -> str:
    """Go's `%v`: maps as `map[k:v]` with sorted keys, lists as `[a b]`, nil as `<nil>`."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda k: (not isinstance(k, int | float), str(k)))
        return "map[" + " ".join(f"{go_str(k, True)}:{go_str(value[k], True)}" for k in keys) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_str(v, True) for v in value) + "]"
    if isinstance(value, bytes):
        return "[" + " ".join(str(b) for b in value) + "]"
    return str(value)


def is_true(value: Any) -> bool:
    """Go's truth: false, 0, nil and empty strings, lists and maps are false."""
    if value is None or value is False:
        return False
    if isinstance(value, int | float | str | list | tuple | Mapping):
        return bool(value) if not isinstance(value, Mapping) else len(value) > 0
    return True


_VERB = re.compile(r"%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d+)?)?([a-zA-Z%])")


def printf(fmt: str, *args: Any) -> str:
    """Go's fmt.Sprintf for the verbs templates use."""
    out: list[str] = []
    pos = 0
    index = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        flags, width, precision, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[index]
        index += 1
        out.append(_pad(_verb(verb, arg, precision), flags, width))
    out.append(fmt[pos:])
    if index < len(args):
        extra = ", ".join(f"{go_kind(a)}={go_str(a)}" for a in args[index:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def go_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    return "<nil>"


def _verb(verb: str, arg: Any, precision: str | None) -> str:
    is_int = isinstance(arg, int) and not isinstance(arg, bool)
    if verb == "s" and (isinstance(arg, bool) or _number(arg)):
        return f"%!s({go_kind(arg)}={go_str(arg)})"
    if verb in "vs":
        text = go_str(arg) if arg is not None or verb == "v" else "%!s(<nil>)"
        return text[: int(precision)] if precision and verb == "s" else text
    if verb == "d" and is_int:
        return str(arg)
    if verb == "q":
        return json.dumps(arg if isinstance(arg, str) else go_str(arg), ensure_ascii=False)
    if verb == "t" and isinstance(arg, bool):
        return go_str(arg)
    if verb in "fFeEgG" and isinstance(arg, int | float) and not isinstance(arg, bool):
        p = int(precision) if precision else (6 if verb in "fFeE" else None)
        if verb in "gG" and p is None:
            return go_float(float(arg))
        return format(float(arg), f".{p}{verb.replace('F', 'f')}")
    if verb in "xX":
        if is_int:
            return format(arg, verb)
        if isinstance(arg, str):
            text = arg.encode().hex()
            return text.upper() if verb == "X" else text
    if verb in "ob" and is_int:
        return format(arg, verb)
    if verb == "T":
        return go_kind(arg)
    return f"%!{verb}({go_kind(arg)}={go_str(arg)})"


def _pad(text: str, flags: str, width: str | None) -> str:
    if not width or width == "*":
        return text
    n = int(width)
    if "-" in flags:
        return text.ljust(n)
    if "0" in flags and re.fullmatch(r"-?[\d.]+", text):
        sign = "-" if text.startswith("-") else ""
        return sign + text.lstrip("-").rjust(n - len(sign), "0")
    return text.rjust(n)


# ---- Go builtins ------------------------------------------------------------------------


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _basic(value: Any) -> Any:
    if isinstance(value, Mapping | list | tuple):
        raise FuncError("non-comparable type")
    return value


def eq(first: Any, *others: Any) -> bool:
    """Go's `eq`: true when the first argument equals any of the others."""
    if not others:
        raise FuncError("missing argument for comparison")
    _basic(first)
    for other in others:
        _basic(other)
        if first is None or other is None:
            if first is other:
                return True
            continue
        if isinstance(first, bool) != isinstance(other, bool):
            raise FuncError("incompatible types for comparison")
        if _number(first) != _number(other) or (isinstance(first, str) != isinstance(other, str)):
            raise FuncError("incompatible types for comparison")
        if first == other:
            return True
    return False


def _order(a: Any, b: Any) -> int:
    if (_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str)):
        return int(a > b) - int(a < b)
    raise FuncError("incompatible types for comparison")


def _index(container: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(container, Mapping):
            container = container.get(key) if key in container else None
        elif isinstance(container, list | tuple | str):
            if not isinstance(key, int) or isinstance(key, bool):
                raise FuncError(f"cannot index slice/array with type {go_kind(key)}")
            if not 0 <= key < len(container):
                raise FuncError(f"index out of range: {key}")
            container = container[key]
        elif container is None:
            raise FuncError("index of untyped nil")
        else:
            raise FuncError(f"can't index item of type {go_kind(container)}")
    return container


def _slice(item: Any, *bounds: int) -> Any:
    if not isinstance(item, list | tuple | str):
        raise FuncError(f"can't slice item of type {go_kind(item)}")
    start = bounds[0] if bounds else 0
    end = bounds[1] if len(bounds) > 1 else len(item)
    if not 0 <= start <= end <= len(item):
        raise FuncError(f"index out of range: {start}:{end}")
    return item[start:end]


def _len(item: Any) -> int:
    if isinstance(item, str | list | tuple | Mapping):
        return len(item)
    raise FuncError(f"len of type {go_kind(item)}")


# Go's template.JSEscapeString, one replacement per character.
_JS_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "'": "\\'",
        '"': '\\"',
        "<": "\\u003C",
        ">": "\\u003E",
        "&": "\\u0026",
        "=": "\\u003D",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
    }
)


def _js(value: Any) -> str:
    return go_str(value).translate(_JS_ESCAPES)


def _html(*args: Any) -> str:
    text = "".join(go_str(a) for a in args)
    return html.escape(text, quote=True).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def _print(*args: Any) -> str:
    # Go's Sprint adds spaces between operands when neither side is a string.
    out = []
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(go_str(arg))
    return "".join(out)


GO_BUILTINS: dict[str, Callable[..., Any]] = {
    "eq": eq,
    "ne": lambda a, b: not eq(a, b),
    "lt": lambda a, b: _order(a, b) < 0,
    "le": lambda a, b: _order(a, b) <= 0,
    "gt": lambda a, b: _order(a, b) > 0,
    "ge": lambda a, b: _order(a, b) >= 0,
    "not": lambda a: not is_true(a),
    "len": _len,
    "index": _index,
    "slice": _slice,
    "print": _print,
    "printf": printf,
    "println": lambda *a: " ".join(go_str(x) for x in a) + "\n",
    "html": _html,
    "js": lambda *a: _js("".join(go_str(x) for x in a)),
    "urlquery": lambda *a: urllib.parse.quote_plus("".join(go_str(x) for x in a)),
}


# ---- Sprig ------------------------------------------------------------------------------


def empty(value: Any) -> bool:
    return not is_true(value)


def _to_int(value: Any) -> int:
    """Sprig's toInt64 (cast.ToInt64E, errors become 0)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return (
                int(value.strip(), 0)
                if value.strip()[:2].lower() in ("0x", "0b", "0o")
                else int(value.strip())
            )
        except ValueError:
            try:
                return int(float(value))
            except ValueError:
                return 0
    return 0


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    return 0.0


def _atoi(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


def _strs(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [go_str(v) if v is not None else "" for v in value]
    return [go_str(value)]


def _to_json(value: Any, indent: int | None = None) -> str:
    text = json.dumps(
        _jsonable(value),
        ensure_ascii=False,
        sort_keys=True,
        indent=indent,
        separators=(",", ": ") if indent else (",", ":"),
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(value[k]) for k in value}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _from_json(text: Any) -> Any:
    try:
        return json.loads(str(text))
    except ValueError:
        return {}


def _to_yaml(value: Any) -> str:
    from io import StringIO

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    buf = StringIO()
    yaml.dump(_jsonable(value), buf)
    return buf.getvalue().rstrip("\n")


def _from_yaml(text: Any) -> Any:
    try:
        return YAML(typ="safe", pure=True).load(str(text))
    except Exception:
        return {}


def _fail(message: Any) -> str:
    raise TemplateFail(go_str(message))


def _required(message: Any, value: Any = None) -> Any:
    if value is None or value == "":
        raise TemplateFail(go_str(message))
    return value


def _dict(*pairs: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(pairs), 2):
        out[go_str(pairs[i])] = pairs[i + 1] if i + 1 < len(pairs) else ""
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(value[k]) for k in value}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _merge(dst: Any, *sources: Any, overwrite: bool = False) -> dict[str, Any]:
    """Sprig's merge (mergo without overwrite: only missing keys are filled)."""
    out = _plain(dst) if isinstance(dst, Mapping) else {}
    for src in sources:
        if isinstance(src, Mapping):
            _merge_into(out, _plain(src), overwrite)
    return out


def _merge_into(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    for key, value in src.items():
        if key in dst and isinstance(dst[key], dict) and isinstance(value, dict):
            _merge_into(dst[key], value, overwrite)
        elif key not in dst or (is_true(value) if overwrite else not is_true(dst[key])):
            dst[key] = value


def _list_of(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    raise FuncError(f"cannot find on type {go_kind(value)}")


def _split(sep: str, text: Any) -> dict[str, str]:
    return {f"_{i}": part for i, part in enumerate(go_str(text).split(sep))}


def _splitn(sep: str, n: int, text: Any) -> dict[str, str]:
    parts = go_str(text).split(sep, n - 1) if n > 0 else []
    return {f"_{i}": part for i, part in enumerate(parts)}


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", text)


def _snake(text: Any) -> str:
    return "_".join(w.lower() for w in _words(go_str(text)))


def _kebab(text: Any) -> str:
    return "-".join(w.lower() for w in _words(go_str(text)))


def _camel(text: Any) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[_\s-]+", go_str(text)))


def _title(text: Any) -> str:
    return re.sub(r"(^|[^\w'])(\w)", lambda m: m.group(1) + m.group(2).upper(), go_str(text))


def _trunc(n: int, text: Any) -> str:
    s = go_str(text)
    if n < 0:
        return s[max(len(s) + n, 0) :] if -n < len(s) else s
    return s[:n]


def _substr(start: int, end: int, text: Any) -> str:
    s = go_str(text)
    if start < 0:
        return s[:end]
    if end < 0 or end > len(s):
        return s[start:]
    return s[start:end]


def _indent(n: int, text: Any) -> str:
    pad = " " * n
    return pad + go_str(text).replace("\n", "\n" + pad)


def _uniq(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in _list_of(items):
        if item not in out:
            out.append(item)
    return out


def _until(n: int) -> list[int]:
    return list(range(n)) if n >= 0 else list(range(0, n, -1))


def _seq(*args: int) -> list[int]:
    if len(args) == 1:
        end = args[0]
        return list(range(1, end + 1)) if end >= 1 else list(range(1, end - 1, -1))
    if len(args) == 2:
        start, end = args
        step = 1 if end >= start else -1
        return list(range(start, end + step, step))
    start, step, end = args[:3]
    if step == 0:
        return []
    return list(range(start, end + (1 if step > 0 else -1), step))


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(_go_regex(pattern))
    except re.error as exc:
        raise FuncError(f"error parsing regexp: {exc}") from None


def _go_regex(pattern: str) -> str:
    """RE2 named groups `(?P<n>…)` read the same in Python; `\\z` is `\\Z`."""
    return pattern.replace("\\z", "\\Z")


def _go_repl(repl: str) -> str:
    """Go's `$1`/`${name}` replacement syntax as Python's `\\g<…>`."""
    return re.sub(
        r"\$(\{(\w+)\}|(\d+)|(\w+))",
        lambda m: f"\\g<{m.group(2) or m.group(3) or m.group(4)}>",
        repl.replace("\\", "\\\\"),
    )


def _sorted_keys(*maps: Any) -> list[str]:
    keys: list[str] = []
    for m in maps:
        if isinstance(m, Mapping):
            keys += list(m)
    return keys


def _ternary(true_value: Any, false_value: Any, cond: Any) -> Any:
    return true_value if cond is True else false_value


def _get(m: Any, key: str) -> Any:
    if isinstance(m, Mapping) and key in m:
        return m[key]
    return ""


def _set(m: Any, key: str, value: Any) -> Any:
    if not isinstance(m, dict):
        raise FuncError("set needs a map")
    m[key] = value
    return m


def _unset(m: Any, key: str) -> Any:
    if isinstance(m, dict):
        m.pop(key, None)
    return m


def _dig(*args: Any) -> Any:
    *keys, default, m = args
    value = m
    for key in keys:
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        else:
            return default
    return value


def _numeric(fold: Callable[[Any, Any], Any], conv: Callable[[Any], Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        values = [conv(a) for a in args]
        result = values[0]
        for v in values[1:]:
            result = fold(result, v)
        return result

    return apply


def _div(a: Any, b: Any) -> int:
    x, y = _to_int(a), _to_int(b)
    if y == 0:
        raise FuncError("integer divide by zero")
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def _mod(a: Any, b: Any) -> int:
    x, y = _to_int(a), _to_int(b)
    if y == 0:
        raise FuncError("integer divide by zero")
    return x - y * _div(x, y)


def _round(value: Any, places: int, half: float = 0.5) -> float:
    factor = 10.0**places
    shifted = _to_float(value) * factor
    floor = math.floor(shifted)
    return (floor + (1 if shifted - floor >= half else 0)) / factor


def _has(needle: Any, haystack: Any) -> bool:
    return isinstance(haystack, list | tuple) and needle in haystack


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true", "yes", "on")
    if _number(value):
        return bool(value == 1)
    return False


SPRIG: dict[str, Callable[..., Any]] = {
    # defaults
    "default": lambda default, value=None: value if is_true(value) else default,
    "empty": empty,
    "coalesce": lambda *a: next((x for x in a if is_true(x)), None),
    "all": lambda *a: all(is_true(x) for x in a),
    "any": lambda *a: any(is_true(x) for x in a),
    "ternary": _ternary,
    "fail": _fail,
    "required": _required,
    "toJson": _to_json,
    "mustToJson": _to_json,
    "toPrettyJson": lambda v: _to_json(v, 2),
    "mustToPrettyJson": lambda v: _to_json(v, 2),
    "toRawJson": lambda v: json.dumps(
        _jsonable(v), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ),
    "fromJson": _from_json,
    "mustFromJson": lambda t: json.loads(str(t)),
    "deepCopy": _plain,
    "mustDeepCopy": _plain,
    "typeOf": go_kind,
    "kindOf": lambda v: go_kind(v).split("[")[0].split(" ")[0] if v is not None else "invalid",
    "kindIs": lambda kind, v: (
        go_kind(v).startswith(kind) if kind != "map" else isinstance(v, Mapping)
    ),
    "typeIs": lambda t, v: go_kind(v) == t,
    # strings
    "trim": lambda s: go_str(s).strip(),
    "trimAll": lambda cut, s: go_str(s).strip(cut),
    "trimSuffix": lambda suffix, s: go_str(s).removesuffix(suffix),
    "trimPrefix": lambda prefix, s: go_str(s).removeprefix(prefix),
    "upper": lambda s: go_str(s).upper(),
    "lower": lambda s: go_str(s).lower(),
    "title": _title,
    "untitle": lambda s: go_str(s)[:1].lower() + go_str(s)[1:],
    "repeat": lambda n, s: go_str(s) * max(_to_int(n), 0),
    "substr": _substr,
    "nospace": lambda s: re.sub(r"\s", "", go_str(s)),
    "trunc": _trunc,
    "abbrev": lambda n, s: go_str(s) if len(go_str(s)) <= n else go_str(s)[: max(n - 3, 0)] + "...",
    "initials": lambda s: "".join(w[0] for w in go_str(s).split()),
    "wrap": lambda n, s: go_str(s),
    "contains": lambda sub, s: sub in go_str(s),
    "hasPrefix": lambda prefix, s: go_str(s).startswith(prefix),
    "hasSuffix": lambda suffix, s: go_str(s).endswith(suffix),
    "quote": lambda *a: " ".join(
        json.dumps(go_str(x), ensure_ascii=False) for x in a if x is not None
    ),
    "squote": lambda *a: " ".join(f"'{go_str(x)}'" for x in a if x is not None),
    "cat": lambda *a: " ".join(go_str(x) for x in a if x is not None),
    "indent": _indent,
    "nindent": lambda n, s: "\n" + _indent(n, s),
    "replace": lambda old, new, s: go_str(s).replace(old, new),
    "plural": lambda one, many, n: one if _to_int(n) == 1 else many,
    "snakecase": _snake,
    "camelcase": _camel,
    "kebabcase": _kebab,
    "swapcase": lambda s: go_str(s).swapcase(),
    "toString": lambda v: go_str(v),
    "toStrings": _strs,
    "join": lambda sep, items: sep.join(_strs(items)),
    "sortAlpha": lambda items: sorted(_strs(items)),
    "split": _split,
    "splitList": lambda sep, s: go_str(s).split(sep),
    "splitn": _splitn,
    "toDecimal": lambda s: int(go_str(s), 8) if re.fullmatch(r"[0-7]+", go_str(s)) else 0,
    "b64enc": lambda s: base64.b64encode(go_str(s).encode()).decode(),
    "b64dec": lambda s: base64.b64decode(go_str(s).encode()).decode("utf-8", "replace"),
    "b32enc": lambda s: base64.b32encode(go_str(s).encode()).decode(),
    "b32dec": lambda s: base64.b32decode(go_str(s).encode()).decode("utf-8", "replace"),
    "sha1sum": lambda s: hashlib.sha1(go_str(s).encode()).hexdigest(),
    "sha256sum": lambda s: hashlib.sha256(go_str(s).encode()).hexdigest(),
    "sha512sum": lambda s: hashlib.sha512(go_str(s).encode()).hexdigest(),
    "adler32sum": lambda s: str(__import__("zlib").adler32(go_str(s).encode())),
    "regexMatch": lambda pattern, s: _regex(pattern).search(go_str(s)) is not None,
    "mustRegexMatch": lambda pattern, s: _regex(pattern).search(go_str(s)) is not None,
    "regexFind": lambda pattern, s: m.group(0) if (m := _regex(pattern).search(go_str(s))) else "",
    "regexFindAll": lambda pattern, s, n: [m.group(0) for m in _regex(pattern).finditer(go_str(s))][
        : n if n >= 0 else None
    ],
    "regexReplaceAll": lambda pattern, s, repl: _regex(pattern).sub(_go_repl(repl), go_str(s)),
    "regexReplaceAllLiteral": lambda pattern, s, repl: _regex(pattern).sub(
        lambda _: repl, go_str(s)
    ),
    "regexSplit": lambda pattern, s, n: _regex(pattern).split(
        go_str(s), maxsplit=max(n - 1, 0) if n > 0 else 0
    ),
    "regexQuoteMeta": lambda s: re.escape(go_str(s)),
    # numbers
    "add1": lambda a: _to_int(a) + 1,
    "add": _numeric(lambda a, b: a + b, _to_int),
    "sub": lambda a, b: _to_int(a) - _to_int(b),
    "mul": _numeric(lambda a, b: a * b, _to_int),
    "div": _div,
    "mod": _mod,
    "max": _numeric(max, _to_int),
    "min": _numeric(min, _to_int),
    "addf": _numeric(lambda a, b: a + b, _to_float),
    "add1f": lambda a: _to_float(a) + 1,
    "subf": _numeric(lambda a, b: a - b, _to_float),
    "mulf": _numeric(lambda a, b: a * b, _to_float),
    "divf": _numeric(lambda a, b: a / b, _to_float),
    "maxf": _numeric(max, _to_float),
    "minf": _numeric(min, _to_float),
    "floor": lambda a: float(math.floor(_to_float(a))),
    "ceil": lambda a: float(math.ceil(_to_float(a))),
    "round": _round,
    "atoi": _atoi,
    "int": _to_int,
    "int64": _to_int,
    "float64": _to_float,
    "toInt": _to_int,
    "until": _until,
    "untilStep": lambda start, stop, step: list(range(start, stop, step)) if step else [],
    "seq": lambda *a: " ".join(str(x) for x in _seq(*a)),
    # lists
    "list": lambda *a: list(a),
    "tuple": lambda *a: list(a),
    "first": lambda items: _list_of(items)[0] if _list_of(items) else None,
    "last": lambda items: _list_of(items)[-1] if _list_of(items) else None,
    "rest": lambda items: _list_of(items)[1:],
    "initial": lambda items: _list_of(items)[:-1],
    "append": lambda items, v: [*_list_of(items), v],
    "push": lambda items, v: [*_list_of(items), v],
    "prepend": lambda items, v: [v, *_list_of(items)],
    "concat": lambda *lists: [x for items in lists for x in _list_of(items)],
    "reverse": lambda items: list(reversed(_list_of(items))),
    "uniq": _uniq,
    "without": lambda items, *drop: [x for x in _list_of(items) if x not in drop],
    "has": _has,
    "compact": lambda items: [x for x in _list_of(items) if is_true(x)],
    "chunk": lambda n, items: [
        _list_of(items)[i : i + n] for i in range(0, len(_list_of(items)), n)
    ],
    # dictionaries
    "dict": _dict,
    "get": _get,
    "set": _set,
    "unset": _unset,
    "hasKey": lambda m, key: isinstance(m, Mapping) and key in m,
    "keys": _sorted_keys,
    "values": lambda m: [m[k] for k in m] if isinstance(m, Mapping) else [],
    "pick": lambda m, *keys: {k: m[k] for k in keys if isinstance(m, Mapping) and k in m},
    "omit": lambda m, *keys: (
        {k: m[k] for k in m if k not in keys} if isinstance(m, Mapping) else {}
    ),
    "pluck": lambda key, *maps: [m[key] for m in maps if isinstance(m, Mapping) and key in m],
    "merge": _merge,
    "mustMerge": _merge,
    "mergeOverwrite": lambda dst, *src: _merge(dst, *src, overwrite=True),
    "mustMergeOverwrite": lambda dst, *src: _merge(dst, *src, overwrite=True),
    "dig": _dig,
}


# ---- Gomplate (deterministic) -----------------------------------------------------------

GOMPLATE: dict[str, Callable[..., Any]] = {
    "toJSON": _to_json,
    "toJSONPretty": lambda indent, v: _to_json(v, len(indent) or 2),
    "toYAML": _to_yaml,
    "toYaml": _to_yaml,
    "fromYaml": _from_yaml,
    "json": _from_json,
    "yaml": _from_yaml,
    "data.JSON": _from_json,
    "data.YAML": _from_yaml,
    "data.ToJSON": _to_json,
    "data.ToJSONPretty": lambda indent, v: _to_json(v, len(indent) or 2),
    "data.ToYAML": _to_yaml,
    "replaceAll": lambda old, new, s: go_str(s).replace(old, new),
    "conv.ToString": lambda v: go_str(v),
    "conv.ToStrings": _strs,
    "conv.ToInt": _to_int,
    "conv.ToInt64": _to_int,
    "conv.ToFloat64": _to_float,
    "conv.ToBool": _to_bool,
    "conv.Bool": _to_bool,
    "conv.Atoi": _atoi,
    "conv.Default": lambda default, value=None: value if is_true(value) else default,
    "conv.Join": lambda items, sep: sep.join(_strs(items)),
    "conv.Has": lambda m, key: isinstance(m, Mapping) and key in m,
    "conv.Dict": _dict,
    "conv.Slice": lambda *a: list(a),
    "strings.ToUpper": lambda s: go_str(s).upper(),
    "strings.ToLower": lambda s: go_str(s).lower(),
    "strings.Title": _title,
    "strings.TrimSpace": lambda s: go_str(s).strip(),
    "strings.Trim": lambda cut, s: go_str(s).strip(cut),
    "strings.TrimLeft": lambda cut, s: go_str(s).lstrip(cut),
    "strings.TrimRight": lambda cut, s: go_str(s).rstrip(cut),
    "strings.TrimPrefix": lambda prefix, s: go_str(s).removeprefix(prefix),
    "strings.TrimSuffix": lambda suffix, s: go_str(s).removesuffix(suffix),
    "strings.Replace": lambda old, new, s: go_str(s).replace(old, new),
    "strings.ReplaceAll": lambda old, new, s: go_str(s).replace(old, new),
    "strings.Split": lambda sep, s: go_str(s).split(sep),
    "strings.SplitN": lambda sep, n, s: go_str(s).split(sep, n - 1) if n > 0 else [],
    "strings.Contains": lambda sub, s: sub in go_str(s),
    "strings.HasPrefix": lambda prefix, s: go_str(s).startswith(prefix),
    "strings.HasSuffix": lambda suffix, s: go_str(s).endswith(suffix),
    "strings.Repeat": lambda n, s: go_str(s) * max(_to_int(n), 0),
    "strings.Quote": lambda s: json.dumps(go_str(s), ensure_ascii=False),
    "strings.Squote": lambda s: "'" + go_str(s).replace("'", "''") + "'",
    "strings.Indent": lambda *a: _indent(_to_int(a[0]), a[-1]) if len(a) > 1 else _indent(1, a[0]),
    "strings.Trunc": lambda n, s: go_str(s)[: max(_to_int(n), 0)],
    "strings.SnakeCase": _snake,
    "strings.KebabCase": _kebab,
    "strings.CamelCase": _camel,
    "strings.Sort": lambda items: sorted(_strs(items)),
    "strings.Abbrev": lambda n, s: (
        go_str(s) if len(go_str(s)) <= n else go_str(s)[: max(n - 3, 0)] + "..."
    ),
    "strings.WordWrap": lambda *a: go_str(a[-1]),
    "strings.RuneCount": lambda *a: sum(len(go_str(x)) for x in a),
    "math.Add": _numeric(lambda a, b: a + b, _to_int),
    "math.Sub": lambda a, b: _to_int(a) - _to_int(b),
    "math.Mul": _numeric(lambda a, b: a * b, _to_int),
    "math.Div": lambda a, b: _to_float(a) / _to_float(b),
    "math.Rem": _mod,
    "math.Max": _numeric(max, _to_int),
    "math.Min": _numeric(min, _to_int),
    "math.Abs": lambda a: abs(a) if _number(a) else abs(_to_float(a)),
    "math.Floor": lambda a: float(math.floor(_to_float(a))),
    "math.Ceil": lambda a: float(math.ceil(_to_float(a))),
    "math.Round": lambda a: float(round(_to_float(a))),
    "coll.Dict": _dict,
    "coll.Slice": lambda *a: list(a),
    "coll.Has": lambda m, key: isinstance(m, Mapping) and key in m,
    "coll.Keys": _sorted_keys,
    "coll.Values": lambda m: [m[k] for k in sorted(m)] if isinstance(m, Mapping) else [],
    "coll.Merge": lambda dst, *src: _merge(dst, *src),
    "coll.Pick": lambda *a: {
        k: a[-1][k] for k in a[:-1] if isinstance(a[-1], Mapping) and k in a[-1]
    },
    "coll.Omit": lambda *a: (
        {k: v for k, v in a[-1].items() if k not in a[:-1]} if isinstance(a[-1], Mapping) else {}
    ),
    "coll.Reverse": lambda items: list(reversed(_list_of(items))),
    "coll.Sort": lambda items: sorted(_list_of(items), key=str),
    "coll.Append": lambda v, items: [*_list_of(items), v],
    "coll.Prepend": lambda v, items: [v, *_list_of(items)],
    "coll.Uniq": _uniq,
    "coll.Flatten": lambda items: [
        x for sub in _list_of(items) for x in (sub if isinstance(sub, list) else [sub])
    ],
    "base64.Encode": lambda s: base64.b64encode(go_str(s).encode()).decode(),
    "base64.Decode": lambda s: base64.b64decode(go_str(s).encode()).decode("utf-8", "replace"),
    "regexp.Match": lambda pattern, s: _regex(pattern).search(go_str(s)) is not None,
    "regexp.Replace": lambda pattern, repl, s: _regex(pattern).sub(_go_repl(repl), go_str(s)),
    "regexp.ReplaceLiteral": lambda pattern, repl, s: _regex(pattern).sub(
        lambda _: repl, go_str(s)
    ),
    "regexp.Find": lambda pattern, s: (
        m.group(0) if (m := _regex(pattern).search(go_str(s))) else ""
    ),
    "regexp.QuoteMeta": lambda s: re.escape(go_str(s)),
}


FUNCTIONS: dict[str, Callable[..., Any]] = {**GOMPLATE, **SPRIG, **GO_BUILTINS}
"""Later sets win, as Atmos assigns them: Gomplate, then Sprig, then the builtins Go keeps."""
