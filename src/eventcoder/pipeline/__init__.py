"""The pipeline's stages, each a module with a small entry point, in the order an article meets them.

1. **ingest** — :mod:`.ingest` reads files, directories and globs into :class:`~eventcoder.models.Article`
   records or rejects; :mod:`.clean` strips header lines and site boilerplate from one article,
   :mod:`.boilerplate` finds the boilerplate repeated across a corpus, and :mod:`.language` tells
   an article not in English (a reject).
2. **nlp** — :mod:`.nlp` loads spaCy once per process (:mod:`.fastpipes` holds exact, faster stand-ins
   for two of its components); :mod:`.prefilter` parses only the sentences that can yield an event.
3. **frames** — :mod:`.coder` first asks :mod:`.topic` whether the article is political news at all
   (sport, entertainment, disaster and business news is set aside whole), then turns each parsed
   sentence into event mentions: triggers
   (:mod:`.triggers`, word classes in :mod:`.lexical`), actors (:mod:`.actors`), the type model
   (:mod:`.typemodel`) where no trigger fires, the CAMEO code and PLOVER context (:mod:`.cameo`), and
   the killed/injured counts of attacks (:mod:`.fatalities`).
4. **document** — the same module's article pass resolves what one sentence leaves open (the
   counterpart from context, "the militants", attribution), and :mod:`.eventness` scores each
   mention as a reported act or not.
5. **time and place** — :mod:`.dates` resolves each mention's own date against the publication
   date; :mod:`.places` geocodes its place offline.
6. **merge** — :mod:`.merge` joins mentions of one real-world happening into one event.
7. **review** — :mod:`.review` applies an analyst's corrections to the merged events and lists what
   changed since the last run.

The engines (:mod:`eventcoder.engines`) run these stages; they never re-implement one.
"""
