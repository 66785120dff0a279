{#-
    Stops the run with a compiler error naming the var, the value given and what is
    allowed. `value` is shown as given (strings quoted, null as null).
-#}
{% macro invalid_var(name, value, allowed) %}
    {%- if value is none -%}
        {%- set shown = 'null' -%}
    {%- elif value is string -%}
        {%- set shown = "'" ~ value ~ "'" -%}
    {%- else -%}
        {%- set shown = value | string -%}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "Invalid var " ~ name ~ ": got " ~ shown ~ ". Allowed: " ~ allowed
        ~ ". Set it in dbt_project.yml (vars) or with --vars '{" ~ name ~ ": ...}'.") }}
{% endmacro %}
