{#-
    The connector / snapshot bookkeeping columns the reader adds to an object, as
    {output column: [accepted source column names]}; an output column is null when none is
    present. `_source_deleted`: the row is deleted at the source; `_source_synced_at`: when
    the row was loaded (orders rows read from tables). For `opportunity_version` (the scd2
    opportunity table) also the validity interval: `_valid_from`, `_valid_to`, `_is_active`
    (Fivetran history mode or dbt snapshot spelling).
-#}
{% macro crm_bookkeeping_columns(object_name) %}
    {%- set columns = {
        '_source_deleted': ['_fivetran_deleted', 'dbt_is_deleted'],
        '_source_synced_at': ['_fivetran_synced', 'dbt_updated_at'],
    } -%}
    {%- if object_name == 'opportunity_version' -%}
        {%- do columns.update({
            '_valid_from': ['_fivetran_start', 'dbt_valid_from'],
            '_valid_to': ['_fivetran_end', 'dbt_valid_to'],
            '_is_active': ['_fivetran_active'],
        }) -%}
    {%- endif -%}
    {{ return(columns) }}
{% endmacro %}
