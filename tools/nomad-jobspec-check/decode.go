package main

// A strict decoder driven by the `hcl:` struct tags of Nomad's api types, in the manner of gohcl.DecodeBody:
// every argument and block must be in the type's schema, every value must convert to its field's type.
// gohcl.DecodeBody itself cannot be used as it is, because Nomad's parser (a fork of gohcl) decodes
// durations from strings and some blocks by hand; those differences live in nomad.go.

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

type fieldKind int

const (
	attrField fieldKind = iota
	blockField
	labelField
)

type hclField struct {
	name     string
	kind     fieldKind
	optional bool
	index    int
}

var durationType = reflect.TypeOf(time.Duration(0))

// hclFields reads the `hcl:"name,kind"` tags of a struct type.
func hclFields(t reflect.Type) []hclField {
	var fields []hclField
	for i := 0; i < t.NumField(); i++ {
		tag, ok := t.Field(i).Tag.Lookup("hcl")
		if !ok || tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		f := hclField{name: parts[0], index: i}
		for _, p := range parts[1:] {
			switch p {
			case "block":
				f.kind = blockField
			case "label":
				f.kind = labelField
			case "optional":
				f.optional = true
			}
		}
		fields = append(fields, f)
	}
	return fields
}

// elemStruct is the struct type a block field holds: T, *T, []T, []*T, map[string]T or map[string]*T.
func elemStruct(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t, t.Kind() == reflect.Struct
}

func labelNames(t reflect.Type) []string {
	var names []string
	for _, f := range hclFields(t) {
		if f.kind == labelField {
			name := f.name
			if name == "" {
				name = "name"
			}
			names = append(names, name)
		}
	}
	return names
}

// schemaOf is the body schema a struct type's tags declare.
func schemaOf(t reflect.Type) *hcl.BodySchema {
	schema := &hcl.BodySchema{}
	for _, f := range hclFields(t) {
		switch f.kind {
		case attrField:
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: f.name, Required: !f.optional})
		case blockField:
			header := hcl.BlockHeaderSchema{Type: f.name}
			if et, ok := elemStruct(t.Field(f.index).Type); ok {
				header.LabelNames = labelNames(et)
			}
			schema.Blocks = append(schema.Blocks, header)
		}
	}
	return schema
}

// decodeBody decodes a block body into the struct v, with the differences of Nomad's parser (nomad.go).
func decodeBody(body hcl.Body, v reflect.Value) (*hcl.BodyContent, hcl.Diagnostics) {
	t := v.Type()
	hooks := nomadBlockHooks[t]
	fields := map[string]hclField{}
	for _, f := range hclFields(t) {
		if f.kind != labelField {
			fields[f.name] = f
		}
	}
	var diags hcl.Diagnostics
	for _, name := range hooks.attributeForms {
		var moreDiags hcl.Diagnostics
		body, moreDiags = attributeForm(body, name, v.Field(fields[name].index))
		diags = append(diags, moreDiags...)
	}
	schema := schemaOf(t)
	for i, header := range schema.Blocks {
		if labels, ok := hooks.labels[header.Type]; ok {
			schema.Blocks[i].LabelNames = labels
		}
	}
	for name := range hooks.extraBlocks {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: name, LabelNames: hooks.labels[name]})
	}
	content, moreDiags := body.Content(schema)
	diags = append(diags, moreDiags...)
	for name, attr := range content.Attributes {
		diags = append(diags, decodeAttribute(attr, v.Field(fields[name].index))...)
	}
	seenSingle := map[string]*hcl.Block{}
	for _, block := range content.Blocks {
		if extra, ok := hooks.extraBlocks[block.Type]; ok {
			diags = append(diags, decodeStruct(block, reflect.New(extra))...)
			continue
		}
		field := v.Field(fields[block.Type].index)
		if k := field.Kind(); k == reflect.Struct || k == reflect.Ptr {
			if prev, dup := seenSingle[block.Type]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  fmt.Sprintf("Duplicate %s block", block.Type),
					Detail:   fmt.Sprintf("Only one %q block is allowed here; another was defined at %s.", block.Type, prev.DefRange),
					Subject:  &block.DefRange,
				})
				continue
			}
			seenSingle[block.Type] = block
		}
		diags = append(diags, decodeBlock(block, field)...)
	}
	return content, diags
}

// decodeBlock decodes one block into a field of the kinds elemStruct accepts, or into a map of arguments.
func decodeBlock(block *hcl.Block, field reflect.Value) hcl.Diagnostics {
	t := field.Type()
	if t.Kind() == reflect.Map && t.Key().Kind() == reflect.String {
		if _, isStruct := elemStruct(t); !isStruct {
			return decodeArgumentMap(block, field)
		}
	}
	st, _ := elemStruct(t)
	elem := reflect.New(st)
	diags := decodeStruct(block, elem)
	for _, f := range hclFields(st) {
		if f.kind == labelField && len(block.Labels) > 0 {
			setLabel(elem.Elem().Field(f.index), block.Labels[0])
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		field.Set(elem.Elem())
	case reflect.Ptr:
		field.Set(elem)
	case reflect.Slice:
		item := elem
		if t.Elem().Kind() != reflect.Ptr {
			item = elem.Elem()
		}
		field.Set(reflect.Append(field, item))
	case reflect.Map:
		if field.IsNil() {
			field.Set(reflect.MakeMap(t))
		}
		item := elem
		if t.Elem().Kind() != reflect.Ptr {
			item = elem.Elem()
		}
		field.SetMapIndex(reflect.ValueOf(block.Labels[0]), item)
	}
	return diags
}

func decodeStruct(block *hcl.Block, ptr reflect.Value) hcl.Diagnostics {
	if hooks := nomadBlockHooks[ptr.Elem().Type()]; hooks.decode != nil {
		return hooks.decode(block, ptr)
	}
	_, diags := decodeBody(block.Body, ptr.Elem())
	return diags
}

func setLabel(field reflect.Value, label string) {
	if field.Kind() == reflect.Ptr {
		field.Set(reflect.ValueOf(&label))
		return
	}
	field.SetString(label)
}

// decodeArgumentMap decodes a block of free-form arguments (meta, env, header) into a map field.
func decodeArgumentMap(block *hcl.Block, field reflect.Value) hcl.Diagnostics {
	if field.Type().Elem().Kind() == reflect.Interface {
		// Driver config (`config`): its schema belongs to the task driver plugin, not to the api types;
		// Nomad reads nested blocks in it as arguments (hclutil.BlocksAsAttrs). Every value must still evaluate.
		return evaluateFreeform(block.Body)
	}
	attrs, diags := block.Body.JustAttributes()
	m := reflect.MakeMap(field.Type())
	for name, attr := range attrs {
		elem := reflect.New(field.Type().Elem())
		diags = append(diags, decodeAttribute(attr, elem.Elem())...)
		m.SetMapIndex(reflect.ValueOf(name), elem.Elem())
	}
	field.Set(m)
	return diags
}

// evaluateFreeform evaluates every argument of a body and of the blocks nested in it.
func evaluateFreeform(body hcl.Body) hcl.Diagnostics {
	syntaxBody, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	for _, attr := range syntaxBody.Attributes {
		ctx, moreDiags := runtimeEvalContext(attr.Expr)
		diags = append(diags, moreDiags...)
		if !moreDiags.HasErrors() {
			_, moreDiags = attr.Expr.Value(ctx)
			diags = append(diags, moreDiags...)
		}
	}
	for _, block := range syntaxBody.Blocks {
		diags = append(diags, evaluateFreeform(block.Body)...)
	}
	return diags
}

// decodeAttribute converts an argument's value into a field, the way Nomad's parser does: durations from
// Go duration strings (or nanoseconds), everything else by gohcl's conversion of the field's type.
func decodeAttribute(attr *hcl.Attribute, field reflect.Value) hcl.Diagnostics {
	ctx, diags := runtimeEvalContext(attr.Expr)
	if diags.HasErrors() {
		return diags
	}
	target := field.Type()
	if target == durationType || (target.Kind() == reflect.Ptr && target.Elem() == durationType) {
		return decodeDuration(attr, ctx, field)
	}
	ptr := reflect.New(target)
	diags = append(diags, gohcl.DecodeExpression(attr.Expr, ctx, ptr.Interface())...)
	for _, d := range diags {
		if d.Subject == nil {
			d.Subject = attr.Expr.Range().Ptr()
		}
		d.Detail = fmt.Sprintf("%s (argument %q)", d.Detail, attr.Name)
	}
	if !diags.HasErrors() {
		field.Set(ptr.Elem())
	}
	return diags
}

func decodeDuration(attr *hcl.Attribute, ctx *hcl.EvalContext, field reflect.Value) hcl.Diagnostics {
	val, diags := attr.Expr.Value(ctx)
	if diags.HasErrors() {
		return diags
	}
	bad := func(detail string) hcl.Diagnostics {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsuitable duration value",
			Detail:   fmt.Sprintf("Argument %q: %s", attr.Name, detail),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	var d time.Duration
	switch {
	case val.IsNull() || !val.IsKnown():
		return bad("a duration is required")
	case val.Type() == cty.String:
		parsed, err := time.ParseDuration(val.AsString())
		if err != nil {
			return bad(fmt.Sprintf("%v (a Go duration such as \"10s\" or \"1m30s\" is required)", err))
		}
		d = parsed
	case val.Type() == cty.Number:
		// Nomad's parser takes a bare number as nanoseconds.
		n, acc := val.AsBigFloat().Int64()
		if acc != 0 {
			return bad("a whole number of nanoseconds is required")
		}
		d = time.Duration(n)
	default:
		return bad(fmt.Sprintf("a duration string is required, not %s", val.Type().FriendlyName()))
	}
	if field.Kind() == reflect.Ptr {
		field.Set(reflect.ValueOf(&d))
	} else {
		field.Set(reflect.ValueOf(d))
	}
	return diags
}
