{#-
    For a post-hook: fails the model with one line per row of `relation` whose
    `reason_column` is not null, naming the input (`source_column`), the row number
    (`row_column`) and the reason, so bad input stops the build with a useful message.
-#}
{% macro raise_invalid_rows(relation, reason_column, source_column, row_column) %}
    {%- if execute -%}
        {%- set invalid = run_query(
            'select ' ~ source_column ~ ', ' ~ row_column ~ ', ' ~ reason_column ~ ' from ' ~ relation
            ~ ' where ' ~ reason_column ~ ' is not null order by ' ~ row_column) -%}
        {%- if invalid.rows | length > 0 -%}
            {%- set lines = [] -%}
            {%- for row in invalid.rows -%}
                {%- do lines.append('  ' ~ row[0] ~ ' row ' ~ row[1] ~ ': ' ~ row[2]) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                invalid.rows | length ~ ' invalid row(s) in ' ~ relation.identifier
                ~ ' (row = data row, header not counted):\n' ~ lines | join('\n')) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
