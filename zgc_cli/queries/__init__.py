"""The query core under the commands: named SQL and the resolvers that turn what a person
types (`顺义`, `Shunyi`, `开工`, `一季度`) into the ids and vocabulary the snapshot uses.

base: Query, option vocabularies, --columns/--lang; resolve: parks, statuses, units, dates,
kinds; period_names: periods as people write them; metrics: metric patterns; lists: the list
commands' SQL; records: one record and its related rows; search; explain: why nothing
matched; charts: the charts' SQL; coverage: the ledger of clauses. Values are always bound
as parameters.

Import the module you need (`from zgc_cli.queries.lists import parks_query`); this package
imports nothing, so a command loads only the modules its query uses.
"""
