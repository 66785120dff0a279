{#-
    The shape the CRM objects come in (var `source_shape`): `export` (API names, an
    OpportunityHistory object; the default), `connector` (the same objects with connector
    snake_case names and `_fivetran_*` bookkeeping columns) or `scd2` (no OpportunityHistory:
    the opportunity table holds one row per version with a validity interval). Any other
    value stops the build with the list of valid ones. `value` checks a given value instead of
    the var (the on-run-start validation).
-#}
{% macro crm_source_shape(value='(the var)') %}
    {%- set shape = (var('source_shape', 'export') if value == '(the var)' else value) or 'export' -%}
    {%- set valid = ['export', 'connector', 'scd2'] -%}
    {%- if shape not in valid -%}
        {{ exceptions.raise_compiler_error(
            "Unknown source_shape '" ~ shape ~ "': valid values are " ~ valid | join(', ')
            ~ " (see README, source shapes).") }}
    {%- endif -%}
    {{ return(shape) }}
{% endmacro %}
