{#-
    The relation a mapping seed is read from: the package's seed `seed_name`, unless the
    caller's var (`crm_stage_mapping`, `crm_opportunity_type_mapping`,
    `crm_marketing_lead_sources`) names a replacement with the same columns: a model or seed
    of the root project (`my_stage_mapping`) or a table (`schema.table` or
    `database.schema.table`).
-#}
{% macro mapping_relation(seed_name, configured) %}
    {%- if configured is none or configured == '' -%}
        {{ return(ref(seed_name)) }}
    {%- endif -%}
    {%- set parts = configured.split('.') -%}
    {%- if parts | length == 1 -%}
        {{ return(ref(configured)) }}
    {%- elif parts | length == 2 -%}
        {{ return(api.Relation.create(database=target.database, schema=parts[0], identifier=parts[1])) }}
    {%- elif parts | length == 3 -%}
        {{ return(api.Relation.create(database=parts[0], schema=parts[1], identifier=parts[2])) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "The replacement for seed " ~ seed_name ~ " must be a model or seed name, schema.table or "
        ~ "database.schema.table; got '" ~ configured ~ "'") }}
{% endmacro %}
