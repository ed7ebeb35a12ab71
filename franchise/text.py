"""Chinese text as words: one segmentation for search, suggestions and classification.

Words come from jieba's dictionary (through rjieba, its Rust port); punctuation, spaces and
symbols are dropped in Python because PostgreSQL's C locale would index full-width
punctuation as parts of words. Latin words are lower-cased.

Search indexes finely and queries coarsely: a document's words are jieba's search-mode cut,
which also emits the parts of a compound (医疗保险 gives 医疗, 保险 and 医疗保险), and a query's
words are the ordinary cut. Each indexed word is placed at the position of its first
character, so words that follow each other in the text are as far apart as the first one is
long, whatever the overlapping parts of compounds around them (``phrase``).
"""

import re
import unicodedata
from collections.abc import Iterable

import rjieba

# A token is kept when it has at least one letter or digit of any script.
_WORDLIKE = re.compile(r"\w", re.UNICODE)
# PostgreSQL keeps positions 1–16383 and refuses lexemes of 2 KB; nobody searches for a
# word of more than 50 characters, and 64 places of a word say enough for ranking.
MAX_POSITION = 16383
MAX_WORD_LENGTH = 50
MAX_PLACES = 64
# Title and body are indexed as one text with this gap between them, so that no phrase runs
# from the end of one into the start of the other.
PART_GAP = 100


def _is_word(token: str) -> bool:
    return bool(_WORDLIKE.search(token)) and not token.isspace() and token != "_"


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, without punctuation or spaces."""
    return [token.lower() for token in rjieba.cut(_normal(text)) if _is_word(token)]


_HAN = re.compile(r"[\u3400-\u9fff]")


def _pieces(token: str) -> list[str]:
    """A word jieba guessed (not in its dictionary, such as 打九价 or 考公) cut by the
    dictionary alone, mostly into characters; [] for a dictionary word."""
    if len(token) < 2 or not _HAN.search(token) or rjieba.has_word(token):
        return []
    pieces = rjieba.cut(token, hmm=False)
    return pieces if len(pieces) > 1 else []


def search_words(text: str) -> list[tuple[str, int]]:
    """The words of ``text`` by the search-mode cut, each with the 1-based position of its
    first character: the compounds and their parts, and the pieces of guessed words (so
    that 九价 finds 打九价)."""
    found = []
    for token, start, _end in rjieba.tokenize(_normal(text), mode="search"):
        if not _is_word(token) or len(token) > MAX_WORD_LENGTH:
            continue
        found.append((token.lower(), start + 1))
        at = start
        for piece in _pieces(token):
            if _is_word(piece):
                found.append((piece.lower(), at + 1))
            at += len(piece)
    return found


def lexeme(word: str) -> str:
    """``word`` quoted for PostgreSQL's tsvector and tsquery input."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


_lexeme = lexeme


def as_tsvector(parts: Iterable[tuple[str, str]], *, characters_of: int | None = None) -> str:
    """The tsvector, as text, of the (text, weight) ``parts`` in order: every word of the
    search-mode cut at its character's position, weighted by its part (A–D). With
    ``characters_of``, each letter or character of that part (by its index) is also a word
    of its own, weighted D: what the similarity service finds paraphrases by when they share
    no word (驾照 and 驾驶证)."""
    places: dict[str, list[str]] = {}
    offset = 0
    for index, (text, weight) in enumerate(parts):
        text = text or ""
        found = [(word, position, weight) for word, position in search_words(text)]
        if index == characters_of:
            found += [
                (char, i + 1, "D")
                for i, char in enumerate(_normal(text).lower())
                if _is_word(char) and not char.isdigit()
            ]
        for word, position, mark in found:
            at = places.setdefault(word, [])
            place = f"{min(offset + position, MAX_POSITION)}{mark}"
            if len(at) < MAX_PLACES and place[:-1] not in {p[:-1] for p in at}:
                at.append(place)
        offset += len(_normal(text)) + PART_GAP
    return " ".join(f"{_lexeme(word)}:{','.join(at)}" for word, at in places.items())


# The central office's first list of words said one way and written another (口语 and 书面语):
# each line is one group. The list in force is kept, versioned, by ``franchise.synonyms``.
SEED_SYNONYMS = """
不见 丢 丢失 弄丢
医保 医疗保险
社保 社会保险
考公 公务员 公务员考试
考编 事业编
打游戏 玩游戏 游戏
心慌 心悸 心跳
放不下 放下
分手 失恋
不过 没过
挂科 不及格
找工作 求职
工资 薪水 薪资
"""


def groups_of(text: str) -> list[tuple[str, ...]]:
    """The groups of a list written one group per line, words separated by spaces."""
    found = []
    for line in text.strip().splitlines():
        group = tuple(dict.fromkeys(_normal(word).lower() for word in line.split()))
        if len(group) > 1:
            found.append(group)
    return found


class Thesaurus:
    """Words of the same meaning, applied when a text is searched (never when it is indexed,
    so that a change of the list takes effect at once). A group's entry may be written as
    several words (公务员考试): a query whose words spell it out one after the other is read
    as that entry."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self.groups = tuple(tuple(group) for group in groups)
        alike: dict[str, dict[str, None]] = {}
        for group in self.groups:
            for word in group:
                others = alike.setdefault(word, {})
                others.update(dict.fromkeys(other for other in group if other != word))
        self._alike = {word: tuple(others) for word, others in alike.items()}
        # Entries the ordinary cut splits, by their first word: (their words, the entry).
        self._spelled: dict[str, list[tuple[list[str], str]]] = {}
        for word in self._alike:
            cut = words(word)
            if len(cut) > 1:
                self._spelled.setdefault(cut[0], []).append((cut, word))
        for entries in self._spelled.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def alike(self, word: str) -> tuple[str, ...]:
        """The other words of ``word``'s groups."""
        return self._alike.get(word, ())

    def joined(self, found: list[str]) -> list[str]:
        """``found`` (words in order) with each run of words that spells an entry as that
        entry (公务员, 考试 → 公务员考试)."""
        if not self._spelled:
            return found
        result, i = [], 0
        while i < len(found):
            for cut, entry in self._spelled.get(found[i], ()):
                if found[i : i + len(cut)] == cut:
                    result.append(entry)
                    i += len(cut)
                    break
            else:
                result.append(found[i])
                i += 1
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thesaurus) and self.groups == other.groups

    def __hash__(self) -> int:
        return hash(self.groups)


SEED = Thesaurus(groups_of(SEED_SYNONYMS))


def _trimmed(word: str) -> list[str]:
    """A guessed word without a filler character jieba glued to it (考公好 → 考公)."""
    if len(word) < 3 or not _pieces(word):
        return []
    found = []
    if word[-1] in QUERY_STOP_WORDS:
        found.append(word[:-1])
    if word[0] in QUERY_STOP_WORDS:
        found.append(word[1:])
    return found


def _term(word: str, weight: str, thesaurus: Thesaurus) -> str:
    """A tsquery matching ``word`` or a word of the same meaning; a guessed word also
    without a glued filler character, and each of these also by its pieces one after the
    other."""
    mark = f":{weight}" if weight else ""
    ways = []
    for way in dict.fromkeys([word, *_trimmed(word)]):
        for alike in (way, *thesaurus.alike(way)):
            ways.append(_lexeme(alike) + mark)
            pieces = [piece.lower() for piece in _pieces(alike) if _is_word(piece)]
            if pieces:
                ways.append(phrase(pieces, weight))
    return ways[0] if len(ways) == 1 else "(" + " | ".join(ways) + ")"


def forms_of(word: str, thesaurus: Thesaurus = SEED) -> list[str]:
    """The ways a searched word may be written in what it finds: itself, without a glued
    filler character, and the words of the same meaning."""
    forms: dict[str, None] = {}
    for way in (word, *_trimmed(word)):
        forms.update(dict.fromkeys((way, *thesaurus.alike(way))))
    return list(forms)


def written_forms(found: Iterable[str], thesaurus: Thesaurus = SEED) -> list[str]:
    """The ways the searched words ``found`` may be written (for marking them)."""
    forms: dict[str, None] = {}
    for word in found:
        forms.update(dict.fromkeys(forms_of(word, thesaurus)))
    return list(forms)


def term(word: str, weight: str = "", thesaurus: Thesaurus = SEED) -> str:
    """A tsquery matching ``word`` in any of the ways it may be written."""
    return _term(word, weight, thesaurus)


def any_of(found: Iterable[str], weight: str = "", thesaurus: Thesaurus = SEED) -> str:
    """A tsquery matching any of the words ``found``."""
    return " | ".join(_term(word, weight, thesaurus) for word in found)


def every(found: Iterable[str], weight: str = "", thesaurus: Thesaurus = SEED) -> str:
    """A tsquery matching all of the words ``found``, anywhere."""
    return " & ".join(_term(word, weight, thesaurus) for word in found)


def phrase(found: list[str], weight: str = "") -> str:
    """A tsquery matching the words ``found`` one right after the other, as they are
    placed by ``as_tsvector``."""
    parts = [_lexeme(found[0]) + (f":{weight}" if weight else "")]
    for before, word in zip(found, found[1:], strict=False):
        parts.append(f"<{len(before)}> " + _lexeme(word) + (f":{weight}" if weight else ""))
    return " ".join(parts)


def as_document(*parts: str) -> str:
    """The words of ``parts`` joined by spaces, ready for ``to_tsvector('simple', …)``."""
    return " ".join(word for part in parts for word in words(part))


# Words too common in questions to say what they are about (hot topics leave them out).
FUNCTION_WORDS = frozenset(
    [
        "怎么",
        "怎么办",
        "如何",
        "什么",
        "可以",
        "需要",
        "怎样",
        "哪里",
        "为什么",
        "请问",
        "一下",
        "没有",
        "自己",
        "我们",
        "他们",
        "这个",
        "那个",
        "问题",
        "能否",
        "是否",
        "应该",
        "还是",
        "现在",
        "已经",
        "知道",
        "大家",
        "想要",
        "想问",
        "有没有",
        "是不是",
        "能不能",
        "的话",
        "之后",
        "以后",
        "怎么样",
        "吗",
        "呢",
        "了",
        "的",
    ]
)


# Hot topics (热点关注) keep the content words of a title by their part of speech (jieba's
# tags): nouns, verbal and adjectival nouns, abbreviations (医保), verbs and adjectives of two
# characters or more, fixed expressions that are not question phrases, Latin words.
_NOUN_TAGS = frozenset(["vn", "an", "j"])  # and every tag that starts with "n"
_PREDICATE_TAGS = frozenset(["v", "vd", "vg", "vi", "a", "ag", "z"])
_FIXED_TAGS = frozenset(["l", "i"])
# Verbs and nouns that carry a question, not what it is about.
_LIGHT = (
    "知道 觉得 希望 需要 可以 应该 能够 可能 想要 想问 打算 准备 认为 感觉 发现 开始 出现 "
    "进行 告诉 帮忙 帮助 解决 办理 处理 注意 是否 不到 不了 出来 起来 下来 回来 回去 过去 "
    "来说 算是 属于 包括 选择 决定 值得 导致 造成 变得 成为 作为 得到 受到 遇到 碰到 看到 "
    "听说 建议 考虑 有用 没用 管用 不用 喜欢 要求 影响 时候 东西 区别 情况 事情 办法 方法 "
    "原因 意思 样子 方面 地方 条件 有时候 发现自己 打电话 才能 在外 一般 基本 适合 合适 "
    "推荐 认识 介绍 联系 提高 满足 参加 正常 成功 失败 开心 麻烦 机会 时间 方式 问问"
)
LIGHT_WORDS = frozenset(_LIGHT.split(" "))
# Question words inside a longer token (怎么弄, 值不值得, 哪些方面) make it a question phrase.
_QUESTION = (
    "什么 怎么 怎样 如何 哪些 哪个 哪里 为啥 为什么 是不是 有没有 值不值 要不要 能不能 "
    "会不会 可不可 行不行 咋 啥"
)
_QUESTION_PARTS = tuple(_QUESTION.split(" "))
# A guessed word or an adjective that starts with a word of degree (太贵, 很大) says how much.
_DEGREE = frozenset("很太挺真超蛮巨贼好特最更较越")
# A word jieba guessed that starts with an auxiliary or an adverb glued to the next word
# (能考, 总学, 一到) is not a word; nor one with a particle in it (读的书, 有用吗).
_GLUED = frozenset("能会要总才一在都就还也又再很太后")
_PARTICLES = frozenset("的了吗呢吧啊呀嘛么")
_LATIN = re.compile(r"[a-z]")
# Words a phrase is made of are at most this long: a phrase fits TopicCount.term (64).
MAX_TOPIC_WORD = 30


def _is_topic(word: str, tag: str) -> bool:
    """Whether ``word`` (as jieba tagged it) may name a topic."""
    if word in QUERY_STOP_WORDS or word in LIGHT_WORDS or len(word) > MAX_TOPIC_WORD:
        return False
    if tag == "eng":
        return len(_LATIN.findall(word)) >= 2
    if len(word) < 2 or not _HAN.search(word) or any(p in word for p in _QUESTION_PARTS):
        return False
    guessed = not rjieba.has_word(word)
    # jieba tags a known word of degree it cannot place as a name (太少/nr).
    if word[0] in _DEGREE and (tag.startswith("a") or tag == "nr" or guessed):
        return False
    if (guessed and word[0] in _GLUED) or any(ch in _PARTICLES for ch in word):
        return False
    if tag.startswith("n") or tag in _NOUN_TAGS or tag in _FIXED_TAGS:
        return True
    if tag in _PREDICATE_TAGS:
        return word[0] not in "不没别"
    return False


def _halves(word: str) -> list[str]:
    """A dictionary word made of two content words of the dictionary (拖欠工资, 学校食堂) as
    those two, so that it counts as they do written apart; else ``[word]``."""
    if len(word) >= 4 and _HAN.search(word):
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if (
                rjieba.has_word(left)
                and rjieba.has_word(right)
                and all(
                    _is_topic(part, tag) for half in (left, right) for part, tag in rjieba.tag(half)
                )
                and len(rjieba.tag(left)) == len(rjieba.tag(right)) == 1
            ):
                return [left, right]
    return [word]


def _topic_runs(text: str) -> list[list[str]]:
    """The content words of ``text`` in order, in runs of words written one right after
    the other."""
    runs: list[list[str]] = [[]]
    for token, tag in rjieba.tag(_normal(text)):
        word = token.lower()
        if _is_topic(word, tag):
            runs[-1].extend(_halves(word))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def topic_words(text: str) -> list[str]:
    """The words of ``text`` that may name a topic (content words by their part of speech,
    never pronouns, adverbs, numerals, measure words, function words, time or locality
    words, nor ``QUERY_STOP_WORDS``), in order."""
    return [word for run in _topic_runs(text) for word in run]


PHRASE_JOINT = " "


def _pairs(runs: list[list[str]]) -> list[str]:
    return [
        PHRASE_JOINT.join((first, second))
        for run in runs
        for first, second in zip(run, run[1:], strict=False)
        if first != second
    ]


def topic_phrases(text: str) -> list[str]:
    """Each two content words of ``text`` written together (拖欠 + 工资), joined by
    ``PHRASE_JOINT`` ("拖欠 工资")."""
    return _pairs(_topic_runs(text))


def topic_terms(text: str) -> list[str]:
    """What hot topics count of a question's title: its topic words, then its phrases."""
    runs = _topic_runs(text)
    return [word for run in runs for word in run] + _pairs(runs)


def is_dictionary_phrase(term: str) -> bool:
    """Whether jieba's dictionary has the phrase ``term`` as one word (拖欠工资)."""
    return rjieba.has_word(term.replace(PHRASE_JOINT, ""))


def phrase_label(term: str) -> str:
    """A term as shown: a phrase without the space between its words, unless both sides of
    it are Latin letters or digits (wifi 密码 → wifi密码, ai agent stays apart)."""
    if PHRASE_JOINT not in term:
        return term
    first, second = term.split(PHRASE_JOINT, 1)
    joint = PHRASE_JOINT if first[-1:].isascii() and second[:1].isascii() else ""
    return first + joint + second


# Words that say nothing of what is searched for: a search leaves them out unless it has
# nothing else (single characters and the colloquial phrases around a question).
_SEARCH_FILLERS = (
    "我 你 他 她 它 您 是 在 有 和 与 及 就 都 也 还 又 要 会 能 想 去 给 把 让 对 从 向 "
    "这 那 哪 个 些 很 太 更 最 着 过 得 地 啥 咋 吧 啊 呀 嘛 么 哦 呗 求 急 "
    "咋办 咋整 怎么弄 求助 请教 有人 谁 谁知道 在线等 谢谢 一个 关于 情况 的话 这种 那种 "
    "这样 那样 还有 或者 如果 但是 因为 所以 怎么回事 好 老是 总是 一直 经常 真的 特别 非常 "
    "有点 好多 很多 到底 究竟 是否 不会 会不会 要不要 可不可以 不能 可能 不要"
)
QUERY_STOP_WORDS = FUNCTION_WORDS | frozenset(_SEARCH_FILLERS.split(" "))


def query_words(text: str, thesaurus: Thesaurus = SEED) -> list[str]:
    """The distinct words of a search by the ordinary cut (the words that spell out an entry
    of ``thesaurus`` joined into it), without the words in ``QUERY_STOP_WORDS``: a search of
    nothing but those (怎么办) says nothing to look for."""
    found = thesaurus.joined(words(text))
    return [word for word in dict.fromkeys(found) if word not in QUERY_STOP_WORDS]
