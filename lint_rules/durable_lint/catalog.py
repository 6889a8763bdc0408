"""The catalogue: data about names, kept apart from the code that matches it.

Qualified names map to the code they break and how; SDK names describe what the
semantic model recognises. Rules and the model read these tables, never edit them.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- durable SDKs
SDK_ROOTS: frozenset[str] = frozenset({"durable", "aws_durable_execution_sdk_python"})
"""Top-level packages whose public names the linter knows; submodule re-exports included."""

OFFICIAL_SDK_ROOT = "aws_durable_execution_sdk_python"
"""The official SDK runs only synchronous handlers (DUR306)."""

HANDLER_DECORATOR = "durable_execution"
STEP_DECORATOR = "durable_step"
CHILD_DECORATORS = frozenset({"durable_with_child_context", "durable_parallel_branch"})
SUBMITTER_DECORATOR = "durable_wait_for_callback"

STAR_IMPORTABLE = frozenset(
    {
        "durable_execution",
        "durable_step",
        "durable_with_child_context",
        "durable_parallel_branch",
        "durable_wait_for_callback",
        "DurableContext",
        "StepContext",
        "with_retry",
        "with_retry_async",
    }
)
"""SDK names a `from durable import *` brings in, as far as the linter cares."""

DURABLE_CONTEXT_TYPES = frozenset({"DurableContext", "AsyncDurableContext"})
STEP_CONTEXT_TYPES = frozenset(
    {"StepContext", "WaitForCallbackContext", "WaitForConditionCheckContext"}
)
SERDES_BASES = frozenset({"SerDes"})
BRANCH_WRAPPERS = frozenset({"ParallelBranch"})
"""SDK objects that wrap a branch function (`ParallelBranch(func=..., name=...)`)."""
SERDES_METHODS = frozenset({"serialize", "deserialize"})
SUSPEND_EXCEPTIONS = frozenset({"SuspendExecution", "TimedSuspendExecution"})
WITH_RETRY = "with_retry"
WITH_RETRY_NAMES = frozenset({"with_retry", "with_retry_async"})
"""`with_retry(ctx, func, config, name)`: runs `func(ctx, attempt)` as a retried block."""

DURABLE_METHODS: frozenset[str] = frozenset(
    {
        "step",
        "wait",
        "run_in_child_context",
        "invoke",
        "create_callback",
        "wait_for_callback",
        "wait_for_condition",
        "map",
        "parallel",
        "all",
        "any",
        "race",
        "all_settled",
    }
)
"""`DurableContext` methods that are durable operations (sync, and awaited in async forms)."""

NAME_ARGUMENT: dict[str, int] = {
    "step": 1,
    "wait": 1,
    "run_in_child_context": 1,
    "invoke": 2,
    "create_callback": 0,
    "wait_for_callback": 1,
    "wait_for_condition": 2,
    "map": 2,
    "parallel": 1,
    "all": 1,
    "any": 1,
    "race": 1,
    "all_settled": 1,
    "with_retry": 3,
}
"""Position of the `name` argument of each durable operation."""

CALLABLE_ARGUMENT: dict[str, tuple[int, str, str]] = {
    "step": (0, "func", "step"),
    "run_in_child_context": (0, "func", "child"),
    "map": (1, "func", "map-item"),
    "wait_for_callback": (0, "submitter", "submitter"),
    "wait_for_condition": (0, "check", "condition-check"),
}
"""Durable operation -> (position, keyword, role) of the callable it runs."""

BRANCH_OPERATIONS = frozenset({"parallel", "all", "any", "race", "all_settled"})
"""Operations that run a list of functions, each in its own child context."""

CALLBACK_KEYWORDS: dict[str, str] = {
    "retry_strategy": "retry-strategy",
    "wait_strategy": "wait-strategy",
    "item_namer": "item-namer",
    "summary_generator": "summary-generator",
}
"""Keyword arguments of SDK configuration objects whose value the SDK calls back."""


# ------------------------------------------------------- non-deterministic names
@dataclass(frozen=True)
class Entry:
    """A qualified name and the code it breaks.

    `unless_args`: the call is fine with at least this many arguments (a seed, a time).
    """

    code: str
    unless_args: int | None = None


def _entries(code: str, names: str, unless_args: int | None = None) -> dict[str, Entry]:
    return {name: Entry(code, unless_args) for name in names.split()}


EXACT: dict[str, Entry] = {
    **_entries(
        "DUR101",
        "time.time time.time_ns time.monotonic time.monotonic_ns time.perf_counter "
        "time.perf_counter_ns time.process_time time.process_time_ns time.thread_time "
        "time.thread_time_ns datetime.datetime.now datetime.datetime.utcnow "
        "datetime.datetime.today datetime.date.today pendulum.now pendulum.today arrow.now "
        "arrow.utcnow pandas.Timestamp.now pandas.Timestamp.utcnow pandas.Timestamp.today",
    ),
    **_entries("DUR101", "time.localtime time.gmtime time.ctime time.asctime", 1),
    **_entries("DUR101", "time.strftime", 2),
    **_entries(
        "DUR102",
        "random.random random.randint random.randrange random.choice random.choices "
        "random.shuffle random.sample random.uniform random.triangular random.gauss "
        "random.normalvariate random.lognormvariate random.expovariate random.vonmisesvariate "
        "random.gammavariate random.betavariate random.paretovariate random.weibullvariate "
        "random.getrandbits random.randbytes random.binomialvariate os.urandom os.getrandom",
    ),
    **_entries(
        "DUR102",
        "random.Random random.SystemRandom numpy.random.default_rng numpy.random.RandomState",
        1,
    ),
    **_entries(
        "DUR103",
        "uuid.uuid1 uuid.uuid4 uuid.uuid6 uuid.uuid7 uuid.getnode ulid.new ulid.ulid "
        "ulid.create ulid.monotonic.new",
    ),
    **_entries("DUR103", "ulid.ULID", 1),
    **_entries(
        "DUR104",
        "builtins.open io.open boto3.client boto3.resource boto3.Session "
        "boto3.session.Session os.listdir os.scandir os.walk os.fwalk os.remove os.unlink "
        "os.rmdir os.removedirs os.mkdir os.makedirs os.rename os.renames os.replace os.stat "
        "os.lstat os.chmod os.chown os.link os.symlink os.truncate os.open os.system os.popen "
        "os.fork os.kill os.spawnl os.spawnv os.execv os.execvp os.path.exists os.path.isfile "
        "os.path.isdir os.path.islink os.path.lexists os.path.getsize os.path.getmtime "
        "os.path.getatime os.path.getctime sqlite3.connect psycopg2.connect psycopg.connect "
        "pymysql.connect MySQLdb.connect mysql.connector.connect asyncpg.connect "
        "asyncpg.create_pool pymongo.MongoClient redis.Redis redis.StrictRedis redis.from_url "
        "sqlalchemy.create_engine",
    ),
    **_entries(
        "DUR105",
        "os.getpid os.getppid os.uname socket.gethostname platform.node platform.uname "
        "threading.get_ident threading.get_native_id threading.current_thread builtins.id "
        "builtins.hash",
    ),
    **_entries("DUR106", "os.getenv os.getenvb"),
    **_entries("DUR108", "time.sleep asyncio.sleep"),
    **_entries(
        "DUR110",
        "builtins.print sys.stdout.write sys.stderr.write sys.stdout.writelines "
        "sys.stderr.writelines logging.debug logging.info logging.warning logging.warn "
        "logging.error logging.exception logging.critical logging.fatal logging.log",
    ),
}
"""Qualified names flagged when called in replayed code."""

PREFIXES: dict[str, str] = {
    "secrets.": "DUR102",
    "numpy.random.": "DUR102",
    "socket.": "DUR104",
    "urllib.request.": "DUR104",
    "http.client.": "DUR104",
    "requests.": "DUR104",
    "httpx.": "DUR104",
    "aiohttp.": "DUR104",
    "urllib3.": "DUR104",
    "subprocess.": "DUR104",
    "shutil.": "DUR104",
    "tempfile.": "DUR104",
    "glob.": "DUR104",
    "smtplib.": "DUR104",
    "ftplib.": "DUR104",
    "multiprocessing.": "DUR104",
}
"""Modules whose every function is flagged (longest prefix wins; EXACT wins over prefixes)."""

PREFIX_EXCEPTIONS: frozenset[str] = frozenset(
    {
        "secrets.compare_digest",
        "numpy.random.seed",
        "numpy.random.Generator",
        "numpy.random.SeedSequence",
        "numpy.random.PCG64",
        "numpy.random.MT19937",
        "numpy.random.Philox",
        "numpy.random.SFC64",
        "numpy.random.BitGenerator",
        "urllib.request.Request",
        "urllib.request.pathname2url",
        "urllib.request.url2pathname",
        "glob.escape",
        "glob.has_magic",
        "socket.inet_aton",
        "socket.inet_ntoa",
        "socket.inet_pton",
        "socket.inet_ntop",
        "socket.htons",
        "socket.htonl",
        "socket.ntohs",
        "socket.ntohl",
        "socket.getdefaulttimeout",
        "subprocess.list2cmdline",
        "requests.utils.quote",
        "requests.utils.unquote",
        "requests.structures.CaseInsensitiveDict",
        "httpx.Headers",
        "httpx.QueryParams",
        "httpx.Cookies",
        "httpx.Auth",
        "httpx.BasicAuth",
        "aiohttp.BasicAuth",
        "aiohttp.FormData",
        "requests.Request",
        "httpx.Request",
        "httpx.URL",
        "httpx.Timeout",
        "httpx.Limits",
        "aiohttp.ClientTimeout",
        "subprocess.PIPE",
        "subprocess.DEVNULL",
        "subprocess.STDOUT",
        "multiprocessing.Process",
        "multiprocessing.Pool",
        "multiprocessing.get_context",
        "multiprocessing.cpu_count",
    }
)
"""Names under a flagged prefix that do no I/O or draw no randomness."""

ERROR_SUFFIXES = ("Error", "Exception", "Warning")
"""Constructing an exception class is never I/O, whatever module it lives in."""

ENVIRON_NAMES = frozenset({"os.environ", "os.environb"})
"""Reading these is DUR106 wherever they appear in replayed code."""

IO_HANDLE_CONSTRUCTORS: frozenset[str] = frozenset(
    {
        "boto3.client",
        "boto3.resource",
        "boto3.Session",
        "boto3.session.Session",
        "requests.Session",
        "requests.session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
        "sqlite3.connect",
        "socket.socket",
        "socket.create_connection",
        "psycopg2.connect",
        "psycopg.connect",
        "pymysql.connect",
        "asyncpg.connect",
        "asyncpg.create_pool",
        "pymongo.MongoClient",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "sqlalchemy.create_engine",
        "smtplib.SMTP",
    }
)
"""Calls that return a client, session or connection: calls on what they return are I/O."""

HANDLE_FACTORY_METHODS = frozenset(
    {
        "client",
        "resource",
        "Session",
        "session",
        "Table",
        "Bucket",
        "Object",
        "Queue",
        "Topic",
        "cursor",
        "connect",
        "begin",
        "get_paginator",
        "pipeline",
    }
)
"""Methods of a client or connection that return another client (calls on it are I/O too)."""

PATH_CONSTRUCTORS = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
PATH_DERIVING = frozenset(
    {"with_suffix", "with_name", "with_stem", "joinpath", "resolve", "absolute", "expanduser"}
)
PATH_IO_METHODS: frozenset[str] = frozenset(
    {
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "open",
        "iterdir",
        "glob",
        "rglob",
        "walk",
        "exists",
        "is_file",
        "is_dir",
        "is_symlink",
        "stat",
        "lstat",
        "mkdir",
        "rmdir",
        "unlink",
        "touch",
        "rename",
        "replace",
        "chmod",
        "symlink_to",
        "hardlink_to",
        "samefile",
        "owner",
        "group",
    }
)

LOGGER_FACTORIES = frozenset({"logging.getLogger", "structlog.get_logger", "structlog.getLogger"})
LOGGER_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"}
)

UNORDERED_LISTINGS = frozenset({"os.listdir", "os.scandir", "glob.glob", "glob.iglob", "os.walk"})
"""Calls whose results come in an order the file system chooses (DUR107)."""
UNORDERED_PATH_METHODS = frozenset({"iterdir", "glob", "rglob"})

SET_CONSTRUCTORS = frozenset({"builtins.set", "builtins.frozenset"})
SET_OPERATION_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference"})

MUTATING_METHODS: frozenset[str] = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "clear",
        "update",
        "add",
        "discard",
        "setdefault",
        "popitem",
        "sort",
        "reverse",
    }
)
CONTAINER_CONSTRUCTORS = frozenset(
    {
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "builtins.bytearray",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.Counter",
        "collections.deque",
    }
)

THREAD_TARGETS: dict[str, tuple[int, str]] = {
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "multiprocessing.Process": (1, "target"),
}
"""Constructors that run a callable on another thread or process: (position, keyword)."""
EXECUTOR_CONSTRUCTORS = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
        "multiprocessing.Pool",
        "multiprocessing.pool.Pool",
        "multiprocessing.pool.ThreadPool",
    }
)
EXECUTOR_METHODS = frozenset(
    {"submit", "map", "apply", "apply_async", "map_async", "starmap", "imap", "imap_unordered"}
)
ASYNC_TASK_FUNCTIONS = frozenset(
    {"asyncio.create_task", "asyncio.ensure_future", "asyncio.gather", "asyncio.to_thread"}
)
TASK_GROUP_CONSTRUCTORS = frozenset({"asyncio.TaskGroup"})


@dataclass(frozen=True)
class Advice:
    """How a finding of one code is worded: what it is, and what to do instead."""

    what: str
    instead: str


ADVICE: dict[str, Advice] = {
    "DUR101": Advice("clock read", "read the time inside a step or take it from the event"),
    "DUR102": Advice("random value", "draw it inside a step, or seed a Random() from the event"),
    "DUR103": Advice(
        "unique identifier", "generate it inside a step, or derive it with uuid5 from the input"
    ),
    "DUR104": Advice("external I/O", "move it into a step, whose result is checkpointed"),
    "DUR105": Advice("host or process identity", "read it inside a step"),
    "DUR106": Advice("environment read", "read it inside a step or pass it in the event"),
    "DUR108": Advice(
        "blocking sleep", "use context.wait(Duration...), which suspends without paying for compute"
    ),
    "DUR110": Advice("replay-unaware output", "it repeats on every replay; use context.logger"),
}
