"""A FastAPI app that the generated client `interop-fastapi` talks to over loopback HTTP.

Every handler echoes what FastAPI parsed (typed values, as JSON), so `tests/interop_fastapi.rs`
asserts what the server saw, not only that it answered.

    python app.py export > openapi.json    # the committed spec (never edited by hand)
    python app.py serve PORT               # uvicorn on 127.0.0.1:PORT

Packages: requirements.txt (pinned with hashes; see the README, "Interop tests").
"""

import datetime
from decimal import Decimal
import enum
import json
import os
import sys
import threading
import uuid
from collections.abc import Iterable
from typing import Annotated, Literal, Union

from fastapi import (
    Cookie,
    Depends,
    FastAPI,
    File,
    Form,
    Header,
    HTTPException,
    Query,
    Response,
    UploadFile,
)
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
)
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

app = FastAPI(title="FastAPI interop", version="1")


class Color(str, enum.Enum):
    red = "red"
    green = "green"
    light_blue = "light-blue"


class Item(BaseModel):
    id: int
    name: str


# --- parameters -------------------------------------------------------------------------------


class PathEcho(BaseModel):
    i: int
    f: float
    b: bool
    s: str
    color: Color
    d: datetime.date
    dt: datetime.datetime
    u: uuid.UUID


@app.get("/params/path/{i}/{f}/{b}/{s}/{color}/{d}/{dt}/{u}")
def path_params(
    i: int,
    f: float,
    b: bool,
    s: str,
    color: Color,
    d: datetime.date,
    dt: datetime.datetime,
    u: uuid.UUID,
) -> PathEcho:
    return PathEcho(i=i, f=f, b=b, s=s, color=color, d=d, dt=dt, u=u)


class QueryEcho(BaseModel):
    i: int
    f: float | None
    b: bool | None
    s: str | None
    color: Color | None
    d: datetime.date | None
    dt: datetime.datetime | None
    u: uuid.UUID | None
    tags: list[str]
    nums: list[int] | None
    page_size: int
    nullable_note: str | None


@app.get("/params/query")
def query_params(
    i: int,
    f: float | None = None,
    b: bool | None = None,
    s: str | None = None,
    color: Color | None = None,
    d: datetime.date | None = None,
    dt: datetime.datetime | None = None,
    u: uuid.UUID | None = None,
    tags: Annotated[list[str], Query()] = [],
    nums: Annotated[list[int] | None, Query()] = None,
    page_size: Annotated[int, Query(alias="page-size", ge=1, le=100)] = 10,
    nullable_note: Annotated[str | None, Query(alias="note")] = None,
) -> QueryEcho:
    return QueryEcho(
        i=i,
        f=f,
        b=b,
        s=s,
        color=color,
        d=d,
        dt=dt,
        u=u,
        tags=tags,
        nums=nums,
        page_size=page_size,
        nullable_note=nullable_note,
    )


class HeaderEcho(BaseModel):
    x_int: int
    x_flag: bool | None
    x_color: Color | None
    x_day: datetime.date | None
    x_id: uuid.UUID | None
    x_tags: list[str] | None
    x_alias: str | None


@app.get("/params/header")
def header_params(
    x_int: Annotated[int, Header()],
    x_flag: Annotated[bool | None, Header()] = None,
    x_color: Annotated[Color | None, Header()] = None,
    x_day: Annotated[datetime.date | None, Header()] = None,
    x_id: Annotated[uuid.UUID | None, Header()] = None,
    x_tags: Annotated[list[str] | None, Header()] = None,
    x_alias: Annotated[str | None, Header(alias="X-Custom-Name")] = None,
) -> HeaderEcho:
    return HeaderEcho(
        x_int=x_int,
        x_flag=x_flag,
        x_color=x_color,
        x_day=x_day,
        x_id=x_id,
        x_tags=x_tags,
        x_alias=x_alias,
    )


class CookieEcho(BaseModel):
    session: str
    count: int | None
    ratio: float | None
    color: Color | None


@app.get("/params/cookie")
def cookie_params(
    session: Annotated[str, Cookie()],
    count: Annotated[int | None, Cookie()] = None,
    ratio: Annotated[float | None, Cookie()] = None,
    color: Annotated[Color | None, Cookie()] = None,
) -> CookieEcho:
    return CookieEcho(session=session, count=count, ratio=ratio, color=color)


class Filters(BaseModel):
    """Query parameters declared as one model (FastAPI 0.115+): the spec lists each field."""

    model_config = {"extra": "forbid"}

    limit: int = Field(100, gt=0, le=100)
    order_by: Literal["created_at", "updated_at"] = "created_at"
    labels: list[str] = []


class FilterEcho(BaseModel):
    filters: Filters
    name_filter: str | None


@app.get("/params/query-model")
def query_model(
    filters: Annotated[Filters, Query()],
    name_filter: Annotated[str | None, Query(alias="filter[name]")] = None,
) -> FilterEcho:
    return FilterEcho(filters=filters, name_filter=name_filter)


class Signup(BaseModel):
    """A form declared as one model (FastAPI 0.113+)."""

    username: str
    age: int | None = None
    newsletter: bool = False


@app.post("/forms/model")
def form_model(signup: Annotated[Signup, Form()]) -> Signup:
    return signup


# --- forms and files --------------------------------------------------------------------------


class FormEcho(BaseModel):
    name: str
    age: int
    subscribed: bool
    nickname: str | None
    tags: list[str]


@app.post("/forms/urlencoded")
def urlencoded_form(
    name: Annotated[str, Form()],
    age: Annotated[int, Form()],
    subscribed: Annotated[bool, Form()] = False,
    nickname: Annotated[str | None, Form()] = None,
    tags: Annotated[list[str], Form()] = [],
) -> FormEcho:
    return FormEcho(name=name, age=age, subscribed=subscribed, nickname=nickname, tags=tags)


class FileEcho(BaseModel):
    filename: str | None
    content_type: str | None
    size: int
    text: str


def file_echo(f: UploadFile, data: bytes) -> FileEcho:
    return FileEcho(
        filename=f.filename,
        content_type=f.content_type,
        size=len(data),
        text=data.decode("utf-8", errors="replace"),
    )


class UploadEcho(BaseModel):
    title: str
    copies: int
    public: bool
    keywords: list[str]
    document: FileEcho
    thumbnail: FileEcho | None
    attachments: list[FileEcho]


@app.post("/files/upload")
async def upload_files(
    title: Annotated[str, Form()],
    document: Annotated[UploadFile, File()],
    copies: Annotated[int, Form()] = 1,
    public: Annotated[bool, Form()] = False,
    keywords: Annotated[list[str], Form()] = [],
    thumbnail: Annotated[UploadFile | None, File()] = None,
    attachments: Annotated[list[UploadFile], File()] = [],
) -> UploadEcho:
    return UploadEcho(
        title=title,
        copies=copies,
        public=public,
        keywords=keywords,
        document=file_echo(document, await document.read()),
        thumbnail=file_echo(thumbnail, await thumbnail.read()) if thumbnail else None,
        attachments=[file_echo(a, await a.read()) for a in attachments],
    )


# --- models: unions, recursion, maps, PATCH ---------------------------------------------------


class Priority(enum.IntEnum):
    low = 1
    normal = 2
    high = 3


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float
    good_boy: bool = True


class Owner(BaseModel):
    name: str
    pet: Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]
    # A plain (untagged) union: FastAPI writes `anyOf`.
    contact: int | str
    labels: dict[str, int] = {}
    extra: dict[str, list[str]] | None = None
    scores: list[Annotated[int, Field(ge=0)]] = []
    location: tuple[float, float] | None = None
    priority: Priority = Priority.normal
    balance: Decimal = Decimal("0")


@app.get("/models/pets")
def list_pets(count: int) -> list[Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]]:
    return [Cat(pet_type="cat", meows=i) if i % 2 == 0 else Dog(pet_type="dog", barks=i) for i in range(count)]


@app.post("/models/items", status_code=201)
def create_item(item: Item) -> Item:
    return item


@app.post("/models/owners")
def create_owner(owner: Owner) -> Owner:
    return owner


@app.post("/models/counts")
def double_counts(counts: dict[str, int]) -> dict[str, int]:
    return {k: 2 * v for k, v in counts.items()}


class OptionalBodyEcho(BaseModel):
    received: Item | None


@app.put("/models/optional-body")
def optional_body(item: Item | None = None) -> OptionalBodyEcho:
    return OptionalBodyEcho(received=item)


class TreeNode(BaseModel):
    value: int
    children: list["TreeNode"] = []
    parent_hint: "TreeNode | None" = None


class TreeSummary(BaseModel):
    count: int
    depth: int
    total: int
    tree: TreeNode


def depth(node: TreeNode) -> int:
    return 1 + max((depth(c) for c in node.children), default=0)


def walk(node: TreeNode) -> list[int]:
    return [node.value] + [v for c in node.children for v in walk(c)]


@app.post("/models/tree")
def summarize_tree(tree: TreeNode) -> TreeSummary:
    values = walk(tree)
    return TreeSummary(count=len(values), depth=depth(tree), total=sum(values), tree=tree)


class ItemPatch(BaseModel):
    name: str | None = None
    price: float | None = None
    note: str | None = None
    tags: list[str] | None = None


class PatchEcho(BaseModel):
    item_id: int
    # Exactly the fields the client sent (`exclude_unset`), with their values (null included).
    sent: dict[str, str | float | list[str] | None]


@app.patch("/items/{item_id}")
def patch_item(item_id: int, patch: ItemPatch) -> PatchEcho:
    return PatchEcho(item_id=item_id, sent=patch.model_dump(exclude_unset=True))


# --- statuses and errors ----------------------------------------------------------------------


class NotFound(BaseModel):
    detail: str
    item_id: int


@app.delete("/items/{item_id}", status_code=204, responses={404: {"model": NotFound}})
def delete_item(item_id: int) -> Response:
    if item_id != 1:
        return JSONResponse(status_code=404, content={"detail": "no such item", "item_id": item_id})
    return Response(status_code=204)


@app.get("/items/{item_id}", responses={404: {"model": NotFound, "description": "No such item"}})
def get_item(item_id: int) -> Item:
    if item_id != 1:
        return JSONResponse(status_code=404, content={"detail": "no such item", "item_id": item_id})
    return Item(id=1, name="one")


@app.get("/errors/http")
def http_error(code: int) -> Item:
    # An undeclared error: FastAPI's own `{"detail": ...}` body.
    raise HTTPException(status_code=code, detail=f"failed with {code}")


# --- response media types ---------------------------------------------------------------------


@app.get("/media/text", response_class=PlainTextResponse)
def text_body(name: str) -> str:
    return f"hello, {name}"


@app.get(
    "/media/binary",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
def binary_body(size: int) -> Response:
    return Response(content=bytes(i % 256 for i in range(size)), media_type="application/octet-stream")


@app.get(
    "/media/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
def streamed_body(chunks: int) -> StreamingResponse:
    def gen():
        for i in range(chunks):
            yield f"chunk {i};".encode()

    return StreamingResponse(gen(), media_type="application/octet-stream")


class Tick(BaseModel):
    seq: int
    price: float


@app.get("/media/sse", response_class=EventSourceResponse)
def ticks(count: int) -> Iterable[Tick]:
    for i in range(count):
        retry = 1500 if i == count - 1 else None
        yield ServerSentEvent(data=Tick(seq=i, price=i * 1.5), event="tick", id=str(i), retry=retry)


@app.get("/media/jsonl")
def item_lines(count: int) -> Iterable[Item]:
    # A generator with a declared item type: FastAPI streams JSON Lines (`application/jsonl`).
    for i in range(count):
        yield Item(id=i, name=f"item {i}")


# --- security ---------------------------------------------------------------------------------

oauth2 = OAuth2PasswordBearer(tokenUrl="/auth/token", scopes={"read": "Read", "write": "Write"})
bearer = HTTPBearer()
basic = HTTPBasic()
key_header = APIKeyHeader(name="X-API-Key")
key_query = APIKeyQuery(name="api_key")
key_cookie = APIKeyCookie(name="key_cookie")


class Principal(BaseModel):
    scheme: str
    credential: str


@app.get("/auth/bearer")
def auth_bearer(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> Principal:
    return Principal(scheme=creds.scheme, credential=creds.credentials)


@app.get("/auth/basic")
def auth_basic(creds: Annotated[HTTPBasicCredentials, Depends(basic)]) -> Principal:
    return Principal(scheme="basic", credential=f"{creds.username}:{creds.password}")


@app.get("/auth/key-header")
def auth_key_header(key: Annotated[str, Depends(key_header)]) -> Principal:
    return Principal(scheme="header", credential=key)


@app.get("/auth/key-query")
def auth_key_query(key: Annotated[str, Depends(key_query)]) -> Principal:
    return Principal(scheme="query", credential=key)


@app.get("/auth/key-cookie")
def auth_key_cookie(key: Annotated[str, Depends(key_cookie)]) -> Principal:
    return Principal(scheme="cookie", credential=key)


class Token(BaseModel):
    access_token: str
    token_type: str


@app.post("/auth/token")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    # The token says what FastAPI parsed from the form.
    return Token(
        access_token=f"{form.username}|{form.password}|{' '.join(form.scopes)}|{form.client_id}",
        token_type="bearer",
    )


@app.get("/auth/oauth2")
def auth_oauth2(token: Annotated[str, Depends(oauth2)]) -> Principal:
    return Principal(scheme="oauth2", credential=token)


# Two security dependencies: FastAPI requires both, and lists them as two alternatives.
@app.get("/auth/both")
def auth_both(
    creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
    key: Annotated[str, Depends(key_header)],
) -> Principal:
    return Principal(scheme="both", credential=f"{creds.credentials}+{key}")


def exit_when_stdin_closes() -> None:
    sys.stdin.buffer.read()
    os._exit(0)


def main() -> None:
    if sys.argv[1:] == ["export"]:
        print(json.dumps(app.openapi(), indent=2))
    elif len(sys.argv) == 3 and sys.argv[1] == "serve":
        import uvicorn

        if not sys.stdin.isatty():
            # Started by a test: exit with it, even when it cannot kill us (see tests/interop_fastapi).
            threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
        uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    else:
        sys.exit("usage: app.py export | app.py serve PORT")


if __name__ == "__main__":
    main()
