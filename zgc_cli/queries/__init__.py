"""The query core: named SQL and the resolvers of what a person types (顺义, 开工, 一季度).
Values are always bound. This package imports nothing: import the module you need."""
