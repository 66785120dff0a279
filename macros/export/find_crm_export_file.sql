{#-
    Returns the path of `<object>.csv` or `<object>.parquet` in `raw_path` (file
    name matched case-insensitively), none when absent; raises when both exist.
-#}
{% macro find_crm_export_file(raw_path, object_name) %}
    {%- set listing = run_query("select file from glob('" ~ raw_path ~ "/*')") -%}
    {%- set matches = [] -%}
    {%- for row in listing -%}
        {%- set name = row[0].replace('\\', '/').split('/')[-1] | lower -%}
        {%- if name in [object_name ~ '.csv', object_name ~ '.parquet'] -%}
            {%- do matches.append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if matches | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "Ambiguous CRM export '" ~ object_name ~ "': found " ~ matches | join(' and ')
            ~ "; keep one file per object in " ~ raw_path) }}
    {%- endif -%}
    {{ return(matches[0] if matches else none) }}
{% endmacro %}
