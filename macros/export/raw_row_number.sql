{#-
    The 1-based position of a raw row. Files keep their order (DuckDB reads a file in
    order); tables have none, so their rows are numbered by sync time, then by their values
    (`order_columns`), which makes "the later row wins" deterministic on every adapter.
-#}
{% macro raw_row_number(order_columns, is_file) %}
    {{ return(adapter.dispatch('raw_row_number', 'crm_revenue')(order_columns, is_file)) }}
{% endmacro %}

{% macro default__raw_row_number(order_columns, is_file) %}
    row_number() over (order by {{ order_columns | join(', ') }})
{% endmacro %}

{% macro duckdb__raw_row_number(order_columns, is_file) %}
    {%- if is_file -%}
    row_number() over ()
    {%- else -%}
    {{ crm_revenue.default__raw_row_number(order_columns, is_file) }}
    {%- endif -%}
{% endmacro %}

{#- Spark needs an ordered window; monotonically_increasing_id() follows the file order. -#}
{% macro spark__raw_row_number(order_columns, is_file) %}
    {%- if is_file -%}
    row_number() over (order by monotonically_increasing_id())
    {%- else -%}
    {{ crm_revenue.default__raw_row_number(order_columns, is_file) }}
    {%- endif -%}
{% endmacro %}
